"""A submission's files as the grader saw them, read from its stored canonical archive."""

import io
import tarfile
from dataclasses import dataclass

from assay.errors import NotFound

SHOWN_MAX_BYTES = 512 * 1024


@dataclass(frozen=True)
class SourceFile:
    path: str
    lines: list[str]
    truncated: bool
    binary: bool


def paths(archive: bytes) -> list[str]:
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        return sorted(member.name for member in tar.getmembers() if member.isfile())


def read(archive: bytes, path: str) -> SourceFile:
    """One file of the archive, as lines of text; a file not in it is not found."""
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        try:
            member = tar.getmember(path)
        except KeyError:
            raise NotFound(f"no file {path} in this submission") from None
        handle = tar.extractfile(member) if member.isfile() else None
        if handle is None:
            raise NotFound(f"no file {path} in this submission")
        data = handle.read(SHOWN_MAX_BYTES + 1)
    truncated = len(data) > SHOWN_MAX_BYTES
    data = data[:SHOWN_MAX_BYTES]
    if b"\0" in data:
        return SourceFile(path, [], truncated, binary=True)
    text = data.decode("utf-8", errors="replace")
    return SourceFile(path, text.splitlines(), truncated, binary=False)
