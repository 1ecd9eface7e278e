"""Probes: a submission that tries every way out, up, or to the answers, from both its containers.

Its service probes at start (the lines land in the boot stage's log) and its own test fails
with the same probes (they land in the own tests' evidence). Every connection is attempted
from inside the pod, which has only loopback: nothing leaves the machine. The submission is
also a messy tree (links out of it, a hard link, a device or FIFO, a socket, names that are not
UTF-8, 10 000 tiny dependency files), so the same grading shows how a tree is copied.
"""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from assay.catalog.loader import Problem
from tests.hostile import submissions
from tests.hostile.checks import Graded, Hostile, assert_contained, not_above

pytestmark = [pytest.mark.docker, pytest.mark.xdist_group("hostile")]
ROOT = Path(__file__).resolve().parents[2]
PUBLIC = [("1.1.1.1", 80), ("1.1.1.1", 443), ("8.8.8.8", 53), ("2606:4700:4700::1111", 443)]
METADATA = [("169.254.169.254", 80)]
HOST_PORTS = (22, 80, 2375, 5432)
FIXED_PROBES = {
    "net:udp:8.8.8.8:53",
    "net:dns",
    "net:interfaces",
    "net:routes",
    "files:/grader",
    "files:search",
    "secrets:environ",
    "isolation:processes",
    "db:grader-database",
    "db:admin-database",
    "db:postgres-no-password",
    "db:grader-no-password",
    "db:role",
    "db:read-server-files",
    "db:run-programs",
    "db:make-superuser",
    "redis:config-dir",
    "redis:module-load",
    "docker:socket-files",
    "docker:tcp:2375",
    "docker:tcp:2376",
    "privilege:uid",
    "privilege:capabilities",
    "privilege:no-new-privs",
    "privilege:setuid",
    "privilege:write:/usr/hostile",
    "privilege:write:/etc/hosts",
    "privilege:write:/hostile",
    "privilege:disk-mounts",
    "tree:hard-link-is-a-copy",
}


def host_addresses() -> list[str]:
    """The machine's own addresses, its gateway and its resolvers, loopback and link-local aside."""
    found: list[str] = []
    if shutil.which("ip"):
        addresses = subprocess.run(
            ["ip", "-o", "addr"], check=False, capture_output=True, text=True
        ).stdout
        found += [line.split()[3].split("/")[0] for line in addresses.splitlines()]
        routes = subprocess.run(["ip", "route"], check=False, capture_output=True, text=True).stdout
        found += re.findall(r"default via (\S+)", routes)
    resolv = Path("/etc/resolv.conf")
    if resolv.is_file():
        found += re.findall(r"^nameserver\s+(\S+)", resolv.read_text(), flags=re.MULTILINE)
    skipped = ("127.", "::1", "fe80")
    return sorted({address for address in found if not address.startswith(skipped)})


def probe_lines(log: str, where: str) -> dict[str, tuple[str, str]]:
    lines = {}
    for line in log.splitlines():
        parts = line.strip().split("|")
        if len(parts) >= 5 and parts[0].endswith(submissions.PROBE) and parts[1] == where:
            lines[parts[2]] = (parts[3], parts[4])
    return lines


@pytest.fixture(scope="session")
def targets(book_reviews: Problem) -> dict[str, object]:
    tcp = PUBLIC + METADATA + [(host, port) for host in host_addresses() for port in HOST_PORTS]
    paths = [
        "/grader/evaluation",
        str(ROOT),
        str(book_reviews.evaluation),
        str(book_reviews.reference),
        "/var/run/docker.sock",
        "/run/docker.sock",
        "/var/lib/docker",
    ]
    return {"tcp": tcp, "paths": paths}


@pytest.fixture(scope="session")
def expected(targets: dict[str, object]) -> set[str]:
    tcp = targets["tcp"]
    paths = targets["paths"]
    assert isinstance(tcp, list) and isinstance(paths, list)
    names = {f"net:tcp:{host}:{port}" for host, port in tcp} | {f"files:{p}" for p in paths}
    return names | FIXED_PROBES


@pytest.fixture(scope="session")
def probed(
    hostile: Hostile,
    book_reviews: Problem,
    marker: str,
    targets: dict[str, object],
    tmp_path_factory: pytest.TempPathFactory,
) -> Graded:
    base = tmp_path_factory.mktemp("probes")
    folder, outside = submissions.probing(
        book_reviews,
        base / "submission",
        marker=marker,
        outside=base / "outside",
        targets=targets,
    )
    return hostile("probes and tree", folder, outside=outside.paths)


def test_probing_submission_is_graded_and_contained(probed: Graded) -> None:
    assert_contained(probed)
    assert probed.stage("boot").status.value == "passed"


@pytest.mark.parametrize(("where", "stage"), [("app", "boot"), ("selftest", "own tests")])
def test_every_probe_is_blocked(probed: Graded, expected: set[str], where: str, stage: str) -> None:
    found = probe_lines(probed.stage(stage).log, where)
    assert expected - set(found) == set(), f"probes that did not report from {where}"
    assert {name: got for name, got in found.items() if got[0] != "blocked"} == {}


def test_the_pod_saw_environments_but_not_the_graders_secret(probed: Graded) -> None:
    for stage in ("boot", "own tests"):
        assert " environ " in probed.stage(stage).log
    assert probed.canary not in probed.report.model_dump_json()


def test_links_devices_and_odd_names_are_left_out_and_named(probed: Graded) -> None:
    left_out = "\n".join(probed.report.detection.left_out)
    for name in ("reference_app", "etc_passwd", "canary_link.txt", "escape", "dangling", "loop"):
        assert f"{name} (symbolic link)" in left_out, name
    assert "app/alias.py (symbolic link)" in left_out
    assert "tests/test_reference_books.py (symbolic link)" in left_out
    assert re.search(r"devnull \((device file|named pipe)\)", left_out)
    assert "pipe (named pipe)" in left_out
    assert "sock (socket)" in left_out
    assert left_out.count("the name is not UTF-8") == 2


def test_links_out_of_the_tree_forge_nothing(probed: Graded, twin: Graded) -> None:
    """Links to the reference solution are not followed: nothing of it is graded."""
    static = probed.report.static
    assert static is not None
    assert not any(finding.file.startswith("reference_app") for finding in static.findings)
    assert not_above(probed, twin, ["functionality", "architecture"]) == []
    own = probed.report.selftests
    assert own is not None
    assert own.collected == 2  # the starter's test and the probe report, nothing linked


def test_files_outside_the_tree_are_untouched(probed: Graded) -> None:
    """The hard-linked canary was appended to in the pod; the host's file did not change."""
    assert probed.changed == []
