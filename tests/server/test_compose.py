"""docker-compose.yml brought up for real: it builds, migrates, serves, and grades."""

import json
import os
import secrets
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.servers import PASSWORD, answers, assay, free_port, wait_until

pytestmark = [pytest.mark.servers, pytest.mark.docker, pytest.mark.xdist_group("compose")]
ROOT = Path(__file__).resolve().parents[2]
BUILD_S = 1200


@pytest.fixture(scope="session")
def compose() -> Iterator[tuple[list[str], dict[str, str], str]]:
    api_port = free_port()
    env = {
        **os.environ,
        "ASSAY_SECRET_KEY": secrets.token_urlsafe(32),
        "ASSAY_DB_PASSWORD": secrets.token_urlsafe(16),
        "ASSAY_PG_PORT": str(free_port()),
        "ASSAY_REDIS_PORT": str(free_port()),
        "ASSAY_API_PORT": str(api_port),
        "COMPOSE_PROJECT_NAME": f"assaytest{os.getpid()}",
    }
    command = ["docker-compose", "-f", str(ROOT / "docker-compose.yml")]
    # Built as an operator does behind a TLS-inspecting proxy (the host's CA goes in).
    subprocess.run(assay("images", "build", "--service"), check=True, timeout=BUILD_S)
    url = f"http://127.0.0.1:{api_port}"
    try:
        subprocess.run([*command, "up", "-d", "--no-build"], env=env, check=True, timeout=300)
        wait_until(lambda: answers(f"{url}/readyz"), what="the composed API", timeout=120)
        yield command, env, url
    finally:
        subprocess.run([*command, "logs", "--tail", "40"], env=env, check=False)
        subprocess.run([*command, "down", "-v"], env=env, check=False, timeout=300)


def test_the_composed_service_grades_the_book_reviews_reference(compose, tmp_path) -> None:
    command, env, url = compose
    run = [*command, "run", "--rm", "-e", f"ASSAY_NEW_PASSWORD={PASSWORD}", "migrate"]
    subprocess.run(
        [*run, "assay", "users", "create", "ops@example.com", "--role", "admin"],
        env=env,
        check=True,
        timeout=120,
    )
    token = (
        subprocess.run(
            [*run, "assay", "tokens", "create", "ops@example.com", "--name", "compose"],
            env=env,
            check=True,
            timeout=120,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    output = tmp_path / "report.json"

    done = subprocess.run(
        assay(
            "submit",
            str(ROOT / "examples/book-reviews"),
            "-p",
            "book-reviews",
            "--wait",
            "--json",
            str(output),
        ),
        env={**env, "ASSAY_URL": url, "ASSAY_TOKEN": token},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )

    assert done.returncode == 0, done.stdout + done.stderr
    assert json.loads(output.read_text())["total"] >= 90
