"""Walk a submission or problem folder the one way every part of Assay does.

Packing, digests and detection all see the same files: version control, virtualenvs and
caches are left out; anything that is not a regular file or a folder (a link, a device, a
pipe) is named in ``left_out`` and never followed or read; a name that is not UTF-8 is left
out the same way. Limits refuse the whole tree with a reason, before anything is read.
"""

import hashlib
import io
import os
import stat
import tarfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from assay.errors import InvalidSubmission

SKIPPED_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".venv",
        "venv",
        ".tox",
        ".nox",
        "node_modules",
        "__pycache__",
        ".pytest_cache",
        ".mypy_cache",
        ".ruff_cache",
        "htmlcov",
    }
)
SKIPPED_FILES = frozenset({".coverage", ".DS_Store"})
SKIPPED_SUFFIXES = (".pyc", ".pyo")
MIB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """How big a tree may be; over any of them, it is refused with a reason."""

    max_bytes: int = 50 * MIB
    max_files: int = 5000
    max_depth: int = 32


SUBMISSION_LIMITS = Limits()
PROBLEM_LIMITS = Limits(max_bytes=200 * MIB, max_files=20000, max_depth=64)


@dataclass(frozen=True)
class Entry:
    path: Path
    relative: PurePosixPath
    is_dir: bool
    size: int = 0
    executable: bool = False


@dataclass
class Tree:
    root: Path
    entries: list[Entry] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)

    @property
    def files(self) -> list[Entry]:
        return [entry for entry in self.entries if not entry.is_dir]

    @property
    def size(self) -> int:
        return sum(entry.size for entry in self.files)

    def digest(self) -> str:
        """Hash relative paths and contents, so any change to what is graded changes it."""
        digest = hashlib.sha256()
        for entry in self.files:
            digest.update(str(entry.relative).encode() + b"\0")
            with entry.path.open("rb") as handle:
                digest.update(hashlib.file_digest(handle, "sha256").digest())
        return digest.hexdigest()


def _kind(mode: int) -> str | None:
    """Why an entry is left out, or None for a regular file or folder."""
    if stat.S_ISLNK(mode):
        return "symbolic link"
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "named pipe"
    if stat.S_ISSOCK(mode):
        return "socket"
    return "device file"


def _skipped(name: str, is_dir: bool) -> bool:
    if is_dir:
        return name in SKIPPED_DIRS
    return name in SKIPPED_FILES or name.endswith(SKIPPED_SUFFIXES)


def _utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _unreadable(relative: PurePosixPath, error: OSError) -> InvalidSubmission:
    """A tree the system will not list (a path past its length limit, no permission) is refused."""
    shown = str(relative)
    shown = shown if len(shown) <= 120 else f"{shown[:50]}...{shown[-50:]}"
    return InvalidSubmission(f"{shown} could not be read: {error.strerror or error}")


def walk(root: Path, limits: Limits = SUBMISSION_LIMITS) -> Tree:
    """List what a folder holds, in a stable order, refusing it over ``limits``."""
    if not root.is_dir():
        raise InvalidSubmission(f"{root} is not a directory")
    tree = Tree(root=root)
    files = size = 0
    pending: list[tuple[Path, PurePosixPath]] = [(root, PurePosixPath())]
    while pending:
        folder, relative = pending.pop()
        if len(relative.parts) > limits.max_depth:
            raise InvalidSubmission(f"{relative} is nested deeper than {limits.max_depth} folders")
        try:
            with os.scandir(folder) as scan:
                children = list(scan)
        except OSError as error:
            raise _unreadable(relative, error) from error
        for child in children:
            name = relative / child.name
            if not _utf8(child.name):
                tree.left_out.append(f"{os.fsencode(child.name)!r} (the name is not UTF-8)")
                continue
            try:
                info = child.stat(follow_symlinks=False)
            except OSError as error:
                raise _unreadable(name, error) from error
            is_dir = stat.S_ISDIR(info.st_mode)
            if _skipped(child.name, is_dir):
                continue
            why = _kind(info.st_mode)
            if why is not None:
                tree.left_out.append(f"{name} ({why})")
                continue
            if is_dir:
                tree.entries.append(Entry(Path(child.path), name, is_dir=True))
                pending.append((Path(child.path), name))
                continue
            files, size = files + 1, size + info.st_size
            if files > limits.max_files or size > limits.max_bytes:
                raise InvalidSubmission(
                    f"the submission is over {limits.max_bytes // MIB} MiB "
                    f"or {limits.max_files} files"
                )
            executable = bool(info.st_mode & 0o111)
            tree.entries.append(Entry(Path(child.path), name, False, info.st_size, executable))
    tree.entries.sort(key=lambda entry: entry.relative.parts)
    tree.left_out.sort()
    return tree


def pack(tree: Tree) -> bytes:
    """Tar the tree with neutral owners and times: the sandbox decides who owns the copy."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for entry in tree.entries:
            info = tarfile.TarInfo(str(entry.relative))
            info.mtime = 0
            if entry.is_dir:
                info.type, info.mode = tarfile.DIRTYPE, 0o755
                tar.addfile(info)
                continue
            info.mode = 0o755 if entry.executable else 0o644
            info.size = entry.size
            with entry.path.open("rb") as handle:
                tar.addfile(info, handle)
    return buffer.getvalue()


def unpack(data: bytes, destination: Path) -> None:
    """Extract a tar with tarfile's ``data`` filter (no links out, no devices, no absolute
    paths). Pythons before 3.11.4 (Debian bookworm's 3.11.2) lack the filter: there the same
    refusals are made member by member first."""
    destination.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(data)) as archive:
        if hasattr(tarfile, "data_filter"):
            archive.extractall(destination, filter="data")
            return
        members = archive.getmembers()
        for member in members:
            _refuse_unsafe(member)
        archive.extractall(destination, members=members)  # noqa: S202 - each one checked above


def _refuse_unsafe(member: tarfile.TarInfo) -> None:
    path = PurePosixPath(member.name)
    if path.is_absolute() or ".." in path.parts:
        raise InvalidSubmission(f"the archive holds a path out of its folder: {member.name!r}")
    if not (member.isfile() or member.isdir()):
        raise InvalidSubmission(f"the archive holds a link or a device: {member.name!r}")


def digest(root: Path, limits: Limits = PROBLEM_LIMITS) -> str:
    return walk(root, limits).digest()
