"""Host-wide locks: one process at a time builds images or measures load on this machine, and
load is never measured while another grading's timed tests run."""

import fcntl
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

LOCK_DIR = Path(tempfile.gettempdir())


@contextmanager
def host_lock(
    name: str,
    *,
    shared: bool = False,
    folder: Path = LOCK_DIR,
    waiting: Callable[[], None] = lambda: None,
) -> Iterator[None]:
    """Hold ``name`` for the whole host, alone or (``shared``) beside other sharers; ``waiting``
    is told when the lock is held in a way that makes this wait.

    Processes in containers share the lock only if they share ``folder`` (ASSAY_LOCK_DIR).
    """
    folder.mkdir(parents=True, exist_ok=True)
    mode = fcntl.LOCK_SH if shared else fcntl.LOCK_EX
    with (folder / f"assay-{name}.lock").open("a") as handle:
        try:
            fcntl.flock(handle, mode | fcntl.LOCK_NB)
        except BlockingIOError:
            waiting()
            fcntl.flock(handle, mode)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
