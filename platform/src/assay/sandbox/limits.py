"""Resource limits applied to every container of a pod."""

from dataclasses import dataclass
from typing import Any

from docker.types import Ulimit

MIB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    memory_mb: int = 768
    cpus: float = 1.0
    pids: int = 256
    tmpfs_mb: int = 256
    nofile: int = 4096
    fsize_mb: int = 256

    def container_kwargs(self) -> dict[str, Any]:
        """Translate into docker-py ``containers.run`` keyword arguments, hardening included."""
        fsize = self.fsize_mb * MIB
        return {
            "cap_drop": ["ALL"],
            "security_opt": ["no-new-privileges"],
            "read_only": True,
            "tmpfs": {"/tmp": f"size={self.tmpfs_mb}m,mode=1777"},
            "pids_limit": self.pids,
            "mem_limit": f"{self.memory_mb}m",
            "memswap_limit": f"{self.memory_mb}m",
            "nano_cpus": int(self.cpus * 1_000_000_000),
            "ulimits": [
                Ulimit(name="nofile", soft=self.nofile, hard=self.nofile),
                Ulimit(name="fsize", soft=fsize, hard=fsize),
            ],
            "init": True,
        }
