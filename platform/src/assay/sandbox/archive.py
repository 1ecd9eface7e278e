"""Pack a submission folder into a tar the sandbox can own, refusing what it must not carry."""

import io
import tarfile
from dataclasses import dataclass, field
from pathlib import Path

from assay.errors import InvalidSubmission

SKIPPED = {
    ".git",
    ".venv",
    "venv",
    "node_modules",
    "__pycache__",
    ".pytest_cache",
    ".mypy_cache",
    ".ruff_cache",
    ".coverage",
    "htmlcov",
}
MAX_BYTES = 50 * 1024 * 1024
MAX_FILES = 5000


@dataclass
class Packed:
    data: bytes
    files: int
    skipped: list[str] = field(default_factory=list)


def _entry(
    name: str, *, uid: int, mode: int, size: int = 0, directory: bool = False
) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.uid = info.gid = uid
    info.mode = mode
    info.size = size
    info.mtime = 0
    if directory:
        info.type = tarfile.DIRTYPE
    return info


def pack(source: Path, *, prefix: str, uid: int) -> Packed:
    """Tar ``source`` under ``prefix``, owned by ``uid``; links and caches are left out."""
    if not source.is_dir():
        raise InvalidSubmission(f"{source} is not a directory")
    buffer = io.BytesIO()
    packed = Packed(data=b"", files=0)
    total = 0
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        if prefix:
            tar.addfile(_entry(prefix, uid=uid, mode=0o755, directory=True))
        for path in sorted(source.rglob("*")):
            relative = path.relative_to(source)
            if SKIPPED.intersection(relative.parts):
                continue
            name = str(Path(prefix) / relative) if prefix else str(relative)
            if path.is_symlink():
                packed.skipped.append(f"{relative} (symbolic link)")
            elif path.is_dir():
                tar.addfile(_entry(name, uid=uid, mode=0o755, directory=True))
            elif path.is_file():
                size = path.stat().st_size
                total += size
                packed.files += 1
                if total > MAX_BYTES or packed.files > MAX_FILES:
                    raise InvalidSubmission(
                        f"submission is over {MAX_BYTES // (1024 * 1024)} MiB or {MAX_FILES} files"
                    )
                mode = 0o755 if path.stat().st_mode & 0o111 else 0o644
                with path.open("rb") as handle:
                    tar.addfile(_entry(name, uid=uid, mode=mode, size=size), handle)
    packed.data = buffer.getvalue()
    return packed
