"""Resource limits applied to every container (or process group) of a pod."""

from dataclasses import dataclass

MIB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    memory_mb: int = 768
    cpus: float = 1.0
    pids: int = 256
    tmpfs_mb: int = 256
    nofile: int = 4096
    fsize_mb: int = 256
