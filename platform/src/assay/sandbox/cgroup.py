"""Read what the kernel counted for a group of processes: peak memory and limits that were hit.

Both backends read the same files, whether the machine runs cgroup v2 (``memory.peak``,
``memory.events``) or v1 (``memory.max_usage_in_bytes``, ``memory.oom_control``); only where
the group lives differs: a container sees its own at ``/sys/fs/cgroup``, the local backend
makes one per process under the host's memory hierarchy.
"""

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path

from assay.sandbox.pod import Stop

ROOT = Path("/sys/fs/cgroup")
# Peak memory, then the counters of kills, for cgroup v2 and v1 inside a container.
PEAK_FILES = ("memory.peak", "memory/memory.max_usage_in_bytes", "memory.max_usage_in_bytes")
EVENT_FILES = (
    "memory.events",
    "pids.events",
    "memory/memory.oom_control",
    "pids/pids.events",
)


@dataclass(frozen=True)
class Counters:
    """Cumulative counts of kills by the memory limit and of forks refused by the pids limit."""

    oom_kills: int = 0
    pids_refused: int = 0

    def stop_since(self, before: "Counters") -> Stop | None:
        if self.oom_kills > before.oom_kills:
            return Stop.memory
        if self.pids_refused > before.pids_refused:
            return Stop.pids
        return None


def parse_counters(text: str) -> Counters:
    """Read the ``== FILE`` sections :func:`read_counters_script` prints.

    Memory files count kills as ``oom_kill N`` (v1 and v2 alike); ``pids.events`` counts
    refused forks as ``max N``, a key that v2's ``memory.events`` also has with another meaning.
    """
    oom_kills = pids_refused = 0
    section = ""
    for line in text.splitlines():
        if line.startswith("== "):
            section = line[3:].strip()
            continue
        key, _, value = line.partition(" ")
        if not value.strip().isdigit():
            continue
        if key == "oom_kill" and "memory" in section:
            oom_kills += int(value)
        elif key == "max" and section.endswith("pids.events"):
            pids_refused += int(value)
    return Counters(oom_kills=oom_kills, pids_refused=pids_refused)


def read_counters_script() -> str:
    """A shell line printing every counter file a container can see of its own group."""
    files = " ".join(str(ROOT / name) for name in EVENT_FILES)
    return f'for f in {files}; do [ -r "$f" ] && echo "== $f" && cat "$f"; done; true'


def read_peak_script() -> str:
    files = " ".join(str(ROOT / name) for name in PEAK_FILES)
    return f"for f in {files}; do [ -r $f ] && exec cat $f; done; true"


def parse_peak(text: str) -> int | None:
    value = text.strip().splitlines()[0] if text.strip() else ""
    return int(value) if value.isdigit() and int(value) > 0 else None


def _memory_hierarchy() -> Path | None:
    """Where this host lets new memory groups be made: v2's root, or v1's memory controller."""
    unified = ROOT / "cgroup.controllers"
    if unified.is_file() and "memory" in unified.read_text().split():
        return ROOT
    v1 = ROOT / "memory"
    return v1 if (v1 / "memory.max_usage_in_bytes").is_file() else None


@dataclass(frozen=True)
class LocalGroup:
    """A memory group the local backend puts one process in; None-safe when the host refuses."""

    path: Path

    @classmethod
    def make(cls, name: str) -> "LocalGroup | None":
        hierarchy = _memory_hierarchy()
        if hierarchy is None or not os.access(hierarchy, os.W_OK):
            return None
        path = hierarchy / name
        try:
            path.mkdir()
        except OSError:
            return None
        return cls(path)

    @property
    def procs(self) -> Path:
        return self.path / "cgroup.procs"

    def peak_bytes(self) -> int | None:
        for name in ("memory.peak", "memory.max_usage_in_bytes"):
            with contextlib.suppress(OSError):
                return parse_peak((self.path / name).read_text())
        return None

    def remove(self) -> None:
        with contextlib.suppress(OSError):
            self.path.rmdir()
