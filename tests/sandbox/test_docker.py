"""The Docker pod's isolation, checked from inside real containers."""

import os
from collections.abc import Iterator
from pathlib import Path

import docker
import pytest

from assay import tree
from assay.catalog.loader import Problem
from assay.grading.context import open_pod
from assay.sandbox.docker import OWNER_LABEL, RUN_LABEL, DockerPod, DockerSandbox, reap
from assay.sandbox.pod import Role

pytestmark = pytest.mark.docker
NO_ROUTE = (
    "import socket\n"
    "s = socket.socket()\n"
    "s.settimeout(3)\n"
    "try:\n"
    "    s.connect(('1.1.1.1', 80))\n"
    "except OSError as error:\n"
    "    print('unreachable', error.errno)\n"
)


@pytest.fixture
def pod(sandbox: DockerSandbox, book_reviews: Problem) -> Iterator[DockerPod]:
    source = tree.pack(tree.walk(book_reviews.starter))
    with open_pod(sandbox, book_reviews, source, f"t{os.getpid()}") as opened:
        assert isinstance(opened, DockerPod)
        opened.start_app("exec sleep infinity", {})
        yield opened


def test_hidden_tests_are_not_readable_from_the_app(pod: DockerPod) -> None:
    hidden = pod.paths.evaluation / "tests"
    assert pod.run(Role.tester, ["ls", str(hidden)], timeout=10).ok
    seen = pod.run(Role.app, ["ls", str(hidden)], timeout=10)
    assert not seen.ok
    assert "No such file" in seen.output


def test_app_has_no_route_out(pod: DockerPod) -> None:
    result = pod.run(Role.app, ["python", "-c", NO_ROUTE], timeout=10)
    assert "unreachable 101" in result.output
    interfaces = pod.run(Role.app, ["cat", "/proc/net/dev"], timeout=10).output
    assert [line.split(":")[0].strip() for line in interfaces.splitlines()[2:]] == ["lo"]


def test_app_cannot_write_outside_its_copy_and_tmp(pod: DockerPod) -> None:
    assert not pod.run(Role.app, ["touch", "/usr/evil"], timeout=10).ok
    assert pod.run(Role.app, ["touch", "/work/submission/scratch"], timeout=10).ok
    assert not pod.run(Role.tester, ["touch", "/work/submission/scratch"], timeout=10).ok
    assert not pod.run(Role.tester, ["touch", "/grader/evaluation/evil"], timeout=10).ok


def test_every_container_is_hardened(pod: DockerPod) -> None:
    for name, container in pod.containers.items():
        container.reload()
        host = container.attrs["HostConfig"]
        assert host["CapDrop"] == ["ALL"], name
        assert "no-new-privileges" in host["SecurityOpt"], name
        assert host["ReadonlyRootfs"] is True, name
        assert host["Init"] is True, name
        assert host["PidsLimit"] > 0, name
        assert host["Memory"] == host["MemorySwap"] > 0, name
        assert host["NanoCpus"] > 0, name
        assert {limit["Name"] for limit in host["Ulimits"]} == {"nofile", "fsize"}, name
        assert host["LogConfig"]["Config"]["max-size"], name
        assert all(mount["Type"] != "volume" for mount in container.attrs["Mounts"]), name
        assert container.attrs["Config"]["User"] not in ("", "0", "root"), name
        assert not any("docker.sock" in mount["Source"] for mount in container.attrs["Mounts"])


def test_a_command_past_its_deadline_is_killed(pod: DockerPod) -> None:
    result = pod.run(Role.tester, ["sleep", "30"], timeout=1)
    assert result.timed_out
    assert result.seconds < 10


def test_output_is_capped(pod: DockerPod) -> None:
    result = pod.run(Role.tester, ["python", "-c", "print('x' * 10_000_000)"], timeout=30)
    assert len(result.output) < pod.output_cap + 200
    assert "bytes cut" in result.output


def test_pod_leaves_no_container_or_volume_behind(
    sandbox: DockerSandbox, book_reviews: Problem
) -> None:
    run_id = f"gone{os.getpid()}"
    with open_pod(sandbox, book_reviews, tree.pack(tree.walk(book_reviews.starter)), run_id):
        pass
    client = sandbox.client
    assert not client.containers.list(all=True, filters={"label": f"{RUN_LABEL}={run_id}"})
    assert not client.volumes.list(filters={"label": f"{RUN_LABEL}={run_id}"})


def test_reaper_removes_containers_of_a_dead_grader(sandbox: DockerSandbox) -> None:
    client: docker.DockerClient = sandbox.client
    dead_pid = _dead_pid()
    owner = f"{os.uname().nodename}:{dead_pid}"
    labels = {RUN_LABEL: "orphan", OWNER_LABEL: owner}
    orphan = client.containers.create(sandbox.image, ["true"], labels=labels, network_mode="none")
    assert reap(client) >= 1
    with pytest.raises(docker.errors.NotFound):
        orphan.reload()


def _dead_pid() -> int:
    pid = 4_000_000
    while Path(f"/proc/{pid}").exists():
        pid -= 1
    return pid
