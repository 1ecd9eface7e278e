"""Uploaded archives checked before anything is kept: unsafe or oversized ones are refused.

An upload (``.tar.gz``, ``.tgz``, ``.tar`` or ``.zip``) is read member by member first: an
absolute path, a ``..``, a link or a device refuses the whole archive with its name; so do
too many files, too many bytes once unpacked, or a compression ratio only a bomb has. Only
then is it unpacked (tarfile's ``data`` filter as a second guard) and walked like any folder,
into the canonical tar that is stored and graded.
"""

import io
import stat
import tarfile
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from assay import tree
from assay.errors import InvalidSubmission

MAX_RATIO = 200


@dataclass(frozen=True)
class Member:
    name: str
    size: int
    is_dir: bool


@dataclass(frozen=True)
class Canonical:
    """What is kept of an upload: the canonical tar, and what the walk left out."""

    data: bytes
    files: int
    size: int
    left_out: list[str]


def _check_name(name: str) -> None:
    path = PurePosixPath(name)
    if path.is_absolute() or name.startswith(("/", "\\")) or ":" in path.parts[0]:
        raise InvalidSubmission(f"the archive holds an absolute path: {name!r}")
    if ".." in path.parts:
        raise InvalidSubmission(f"the archive holds a path out of its folder: {name!r}")


def _tar_members(data: bytes) -> Iterator[Member]:
    try:
        with tarfile.open(fileobj=io.BytesIO(data)) as archive:
            for info in archive:
                _check_name(info.name)
                if info.issym() or info.islnk():
                    raise InvalidSubmission(f"the archive holds a link: {info.name!r}")
                if not (info.isfile() or info.isdir()):
                    raise InvalidSubmission(f"the archive holds a device or pipe: {info.name!r}")
                yield Member(info.name, info.size, info.isdir())
    except (tarfile.TarError, EOFError, OSError) as error:
        raise InvalidSubmission(f"the archive is not a readable tar: {error}") from error


def _zip_members(data: bytes) -> Iterator[Member]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for info in archive.infolist():
                _check_name(info.filename)
                kind = stat.S_IFMT(info.external_attr >> 16)  # 0 when the zip says nothing
                if kind == stat.S_IFLNK:
                    raise InvalidSubmission(f"the archive holds a link: {info.filename!r}")
                if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
                    raise InvalidSubmission(
                        f"the archive holds a device or pipe: {info.filename!r}"
                    )
                yield Member(info.filename, info.file_size, info.is_dir())
    except (zipfile.BadZipFile, OSError) as error:
        raise InvalidSubmission(f"the archive is not a readable zip: {error}") from error


def is_zip(data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04"


def check(data: bytes, limits: tree.Limits = tree.SUBMISSION_LIMITS) -> list[Member]:
    """Every member, or the reason the archive is refused; stops at the first limit passed."""
    members: list[Member] = []
    files = unpacked = 0
    for member in _zip_members(data) if is_zip(data) else _tar_members(data):
        members.append(member)
        if member.is_dir:
            continue
        files, unpacked = files + 1, unpacked + member.size
        if files > limits.max_files:
            raise InvalidSubmission(f"the archive holds over {limits.max_files} files")
        if unpacked > limits.max_bytes:
            raise InvalidSubmission(
                f"the archive unpacks to over {limits.max_bytes // tree.MIB} MiB"
            )
        if unpacked > MAX_RATIO * max(len(data), 1024):
            raise InvalidSubmission(
                f"the archive unpacks to over {MAX_RATIO} times its size: "
                "refused as a decompression bomb"
            )
    if not files:
        raise InvalidSubmission("the archive holds no files")
    return members


def _unpack(data: bytes, destination: Path) -> None:
    if is_zip(data):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            archive.extractall(destination)  # noqa: S202 - every member was checked first
    else:
        tree.unpack(data, destination)


def _root_of(folder: Path) -> Path:
    """The folder itself, or its only child when the archive wrapped everything in one folder
    (``git archive --prefix``, a zipped project folder); never a lone Python package."""
    children = list(folder.iterdir())
    only = children[0] if len(children) == 1 else None
    if only is not None and only.is_dir() and not (only / "__init__.py").exists():
        return only
    return folder


def canonical(data: bytes) -> Canonical:
    """Check, unpack and walk an upload into the canonical tar Assay stores and grades."""
    check(data)
    with tempfile.TemporaryDirectory(prefix="assay-upload-") as scratch:
        folder = Path(scratch)
        try:
            _unpack(data, folder)
        except (tarfile.TarError, zipfile.BadZipFile, OSError) as error:
            raise InvalidSubmission(f"the archive could not be unpacked: {error}") from error
        walked = tree.walk(_root_of(folder))
        return Canonical(tree.pack(walked), len(walked.files), walked.size, walked.left_out)


def unpack_canonical(data: bytes, destination: Path) -> None:
    """Unpack a stored canonical tar for grading."""
    tree.unpack(data, destination)
