import io
import os
import tarfile
from pathlib import Path

import pytest

from assay.errors import InvalidSubmission
from assay.sandbox import archive
from assay.sandbox.archive import pack

UID = 1234


def write(root: Path, relative: str, text: str = "") -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def members(data: bytes) -> dict[str, tarfile.TarInfo]:
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        return {member.name: member for member in tar.getmembers()}


def read(data: bytes, name: str) -> bytes:
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        handle = tar.extractfile(name)
        assert handle is not None
        return handle.read()


def test_files_are_packed_under_the_prefix_with_their_contents(tmp_path):
    write(tmp_path, "app/main.py", "app = 1\n")

    packed = pack(tmp_path, prefix="submission", uid=UID)

    assert set(members(packed.data)) == {"submission", "submission/app", "submission/app/main.py"}
    assert read(packed.data, "submission/app/main.py") == b"app = 1\n"
    assert packed.files == 1
    assert packed.skipped == []


def test_without_a_prefix_files_are_at_the_root_of_the_archive(tmp_path):
    write(tmp_path, "main.py")

    assert set(members(pack(tmp_path, prefix="", uid=UID).data)) == {"main.py"}


def test_every_entry_is_owned_by_the_given_uid(tmp_path):
    write(tmp_path, "app/main.py")

    entries = members(pack(tmp_path, prefix="submission", uid=UID).data).values()

    assert {(entry.uid, entry.gid) for entry in entries} == {(UID, UID)}


def test_executables_stay_executable_and_other_files_do_not(tmp_path):
    write(tmp_path, "run.sh", "#!/bin/sh\n").chmod(0o700)
    write(tmp_path, "notes.txt").chmod(0o666)

    entries = members(pack(tmp_path, prefix="", uid=UID).data)

    assert entries["run.sh"].mode == 0o755
    assert entries["notes.txt"].mode == 0o644


def test_caches_version_control_and_virtualenvs_are_left_out(tmp_path):
    write(tmp_path, "app/main.py")
    for skipped in (
        ".git/HEAD",
        ".venv/bin/python",
        "app/__pycache__/main.cpython-311.pyc",
        ".pytest_cache/v/cache",
        "node_modules/x/index.js",
        ".coverage",
    ):
        write(tmp_path, skipped)

    packed = pack(tmp_path, prefix="", uid=UID)

    assert set(members(packed.data)) == {"app", "app/main.py"}
    assert packed.files == 1


def test_symbolic_links_are_skipped_and_listed(tmp_path):
    write(tmp_path, "app/main.py")
    (tmp_path / "passwd").symlink_to("/etc/passwd")
    (tmp_path / "outside").symlink_to(tmp_path.parent, target_is_directory=True)

    packed = pack(tmp_path / ".", prefix="", uid=UID)

    assert set(members(packed.data)) == {"app", "app/main.py"}
    assert sorted(packed.skipped) == ["outside (symbolic link)", "passwd (symbolic link)"]


def test_a_file_instead_of_a_directory_is_refused(tmp_path):
    archive_file = write(tmp_path, "submission.zip")

    with pytest.raises(InvalidSubmission, match="is not a directory"):
        pack(archive_file, prefix="", uid=UID)


def test_a_missing_folder_is_refused(tmp_path):
    with pytest.raises(InvalidSubmission):
        pack(tmp_path / "nowhere", prefix="", uid=UID)


def test_a_tree_over_the_size_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(archive, "MAX_BYTES", 100)
    write(tmp_path, "a.txt", "x" * 60)
    write(tmp_path, "b.txt", "x" * 60)

    with pytest.raises(InvalidSubmission, match="submission is over"):
        pack(tmp_path, prefix="", uid=UID)


def test_a_tree_at_the_size_limit_is_packed(tmp_path, monkeypatch):
    monkeypatch.setattr(archive, "MAX_BYTES", 120)
    write(tmp_path, "a.txt", "x" * 60)
    write(tmp_path, "b.txt", "x" * 60)

    assert pack(tmp_path, prefix="", uid=UID).files == 2


def test_a_tree_over_the_file_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(archive, "MAX_FILES", 2)
    for name in ("a.py", "b.py", "c.py"):
        write(tmp_path, name)

    with pytest.raises(InvalidSubmission):
        pack(tmp_path, prefix="", uid=UID)


def test_entries_carry_no_timestamp_of_the_host(tmp_path):
    write(tmp_path, "main.py")
    os.utime(tmp_path / "main.py", (1_700_000_000, 1_700_000_000))

    entries = members(pack(tmp_path, prefix="", uid=UID).data).values()

    assert {entry.mtime for entry in entries} == {0}
