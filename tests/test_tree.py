"""The one walk of a folder that packing, digests and detection share."""

import io
import os
import tarfile
from pathlib import Path

import pytest

from assay.errors import InvalidSubmission
from assay.tree import Limits, pack, unpack, walk


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


def names(root: Path) -> set[str]:
    return set(members(pack(walk(root))))


def test_files_are_packed_with_their_contents(tmp_path):
    write(tmp_path, "app/main.py", "app = 1\n")

    data = pack(walk(tmp_path))

    assert set(members(data)) == {"app", "app/main.py"}
    assert read(data, "app/main.py") == b"app = 1\n"


def test_entries_are_listed_in_a_stable_order(tmp_path):
    for name in ("b.py", "a/z.py", "a/b.py", "c/d/e.py"):
        write(tmp_path, name)

    listed = [str(entry.relative) for entry in walk(tmp_path).entries]

    assert listed == ["a", "a/b.py", "a/z.py", "b.py", "c", "c/d", "c/d/e.py"]


def test_entries_carry_no_owner_or_timestamp_of_the_host(tmp_path):
    write(tmp_path, "main.py")
    os.utime(tmp_path / "main.py", (1_700_000_000, 1_700_000_000))

    entries = members(pack(walk(tmp_path))).values()

    assert {(entry.mtime, entry.uid, entry.gid) for entry in entries} == {(0, 0, 0)}


def test_executables_stay_executable_and_other_files_do_not(tmp_path):
    write(tmp_path, "run.sh", "#!/bin/sh\n").chmod(0o700)
    write(tmp_path, "notes.txt").chmod(0o666)

    entries = members(pack(walk(tmp_path)))

    assert entries["run.sh"].mode == 0o755
    assert entries["notes.txt"].mode == 0o644


def test_caches_version_control_and_virtualenvs_are_left_out(tmp_path):
    write(tmp_path, "app/main.py")
    for skipped in (
        ".git/HEAD",
        ".venv/bin/python",
        "venv/bin/python",
        "app/__pycache__/main.cpython-311.pyc",
        "app/stale.pyc",
        ".pytest_cache/v/cache",
        "node_modules/x/index.js",
        ".coverage",
    ):
        write(tmp_path, skipped)

    tree = walk(tmp_path)

    assert names(tmp_path) == {"app", "app/main.py"}
    assert tree.left_out == []


def test_symbolic_links_are_left_out_and_named(tmp_path):
    write(tmp_path, "app/main.py")
    (tmp_path / "passwd").symlink_to("/etc/passwd")
    (tmp_path / "outside").symlink_to(tmp_path.parent, target_is_directory=True)

    tree = walk(tmp_path)

    assert names(tmp_path) == {"app", "app/main.py"}
    assert tree.left_out == ["outside (symbolic link)", "passwd (symbolic link)"]


def test_named_pipes_are_left_out_and_never_read(tmp_path):
    os.mkfifo(tmp_path / "pipe")

    assert walk(tmp_path).left_out == ["pipe (named pipe)"]


def test_a_name_that_is_not_utf8_is_left_out_and_named(tmp_path):
    descriptor = os.open(os.fsencode(tmp_path) + b"/caf\xe9.py", os.O_CREAT | os.O_WRONLY)
    os.close(descriptor)
    write(tmp_path, "main.py")

    tree = walk(tmp_path)

    assert [str(entry.relative) for entry in tree.entries] == ["main.py"]
    assert tree.left_out == ["b'caf\\xe9.py' (the name is not UTF-8)"]


def test_a_hard_link_inside_the_tree_is_packed_as_its_content(tmp_path):
    write(tmp_path, "a.py", "x = 1\n")
    os.link(tmp_path / "a.py", tmp_path / "b.py")

    assert read(pack(walk(tmp_path)), "b.py") == b"x = 1\n"


def test_a_file_instead_of_a_directory_is_refused(tmp_path):
    archive_file = write(tmp_path, "submission.zip")

    with pytest.raises(InvalidSubmission, match="is not a directory"):
        walk(archive_file)


def test_a_missing_folder_is_refused(tmp_path):
    with pytest.raises(InvalidSubmission):
        walk(tmp_path / "nowhere")


def test_a_tree_over_the_size_limit_is_refused(tmp_path):
    write(tmp_path, "a.txt", "x" * 60)
    write(tmp_path, "b.txt", "x" * 60)

    with pytest.raises(InvalidSubmission, match="over 0 MiB or 5000 files"):
        walk(tmp_path, Limits(max_bytes=100))


def test_a_sparse_file_counts_by_its_size_and_is_refused_unread(tmp_path):
    with (tmp_path / "sparse.bin").open("wb") as handle:
        handle.truncate(1024**3)

    with pytest.raises(InvalidSubmission, match="over 50 MiB"):
        walk(tmp_path)


def test_a_tree_at_the_size_limit_is_walked(tmp_path):
    write(tmp_path, "a.txt", "x" * 60)
    write(tmp_path, "b.txt", "x" * 60)

    assert len(walk(tmp_path, Limits(max_bytes=120)).files) == 2


def test_a_tree_over_the_file_limit_is_refused(tmp_path):
    for name in ("a.py", "b.py", "c.py"):
        write(tmp_path, name)

    with pytest.raises(InvalidSubmission, match="2 files"):
        walk(tmp_path, Limits(max_files=2))


def test_a_tree_nested_deeper_than_the_limit_is_refused(tmp_path):
    write(tmp_path, "/".join("d" * 5) + "/x.py")

    with pytest.raises(InvalidSubmission, match="nested deeper than 3 folders"):
        walk(tmp_path, Limits(max_depth=3))


def test_the_digest_changes_when_a_file_changes(tmp_path):
    hidden = write(tmp_path, "tests/test_api.py", "def test_ok(): ...\n")
    before = walk(tmp_path).digest()

    hidden.write_text("def test_ok(): assert False\n", encoding="utf-8")

    assert walk(tmp_path).digest() != before


def test_the_digest_changes_when_a_file_is_renamed(tmp_path):
    hidden = write(tmp_path, "tests/test_api.py", "def test_ok(): ...\n")
    before = walk(tmp_path).digest()

    hidden.rename(tmp_path / "tests" / "test_books.py")

    assert walk(tmp_path).digest() != before


def test_the_digest_ignores_what_is_never_packed(tmp_path):
    write(tmp_path, "tests/test_api.py", "def test_ok(): ...\n")
    before = walk(tmp_path).digest()

    write(tmp_path, "tests/__pycache__/test_api.cpython-311.pyc", "\0bytecode")
    (tmp_path / "link").symlink_to("/etc/passwd")

    assert walk(tmp_path).digest() == before


def test_unpacking_refuses_a_path_out_of_the_folder_even_without_the_data_filter(
    tmp_path, monkeypatch
):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        archive.addfile(tarfile.TarInfo("../escaped.py"), io.BytesIO(b""))
    monkeypatch.delattr(tarfile, "data_filter")

    with pytest.raises(InvalidSubmission, match="out of its folder"):
        unpack(buffer.getvalue(), tmp_path / "out")

    assert not (tmp_path / "escaped.py").exists()


def test_unpacking_restores_what_packing_kept(tmp_path):
    write(tmp_path / "src", "app/main.py", "app = 1\n")

    unpack(pack(walk(tmp_path / "src")), tmp_path / "copy")

    assert (tmp_path / "copy" / "app" / "main.py").read_text() == "app = 1\n"
