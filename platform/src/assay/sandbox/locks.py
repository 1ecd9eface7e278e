"""Host-wide locks: one process at a time builds images or measures load on this machine."""

import fcntl
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

LOCK_DIR = Path(tempfile.gettempdir())


@contextmanager
def host_lock(
    name: str, *, folder: Path = LOCK_DIR, waiting: Callable[[], None] = lambda: None
) -> Iterator[None]:
    """Hold ``name`` for the whole host; ``waiting`` is told when another process has it.

    Processes in containers share the lock only if they share ``folder`` (ASSAY_LOCK_DIR).
    """
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / f"assay-{name}.lock").open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            waiting()
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
