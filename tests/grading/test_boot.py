import shlex

from assay.catalog.schemas import ProcessSpec
from assay.grading.report import Detection
from assay.grading.stages.boot import launch_script, process_launch

MIGRATE = "alembic upgrade head"


def script(entrypoint: str = "app.main:app", **detected: object) -> list[str]:
    text = launch_script(entrypoint, Detection.model_validate(detected), migrate=MIGRATE, port=8000)
    return text.splitlines()


def server(lines: list[str]) -> list[str]:
    """The argv the script finally execs."""
    command = shlex.split(lines[-1])
    assert command[0] == "exec"
    return command[1:]


def test_the_script_stops_at_the_first_failing_step():
    assert script()[0] == "set -e"


def test_the_last_step_execs_uvicorn_on_loopback_at_the_given_port():
    argv = server(script("bookshop.main:app"))

    assert argv == [
        "python",
        "-m",
        "uvicorn",
        "bookshop.main:app",
        "--host",
        "127.0.0.1",
        "--port",
        "8000",
        "--no-access-log",
    ]


def test_migrations_run_before_the_server_when_detected():
    lines = script(migrations=True)

    assert MIGRATE in lines
    assert lines.index(MIGRATE) < len(lines) - 1


def test_no_migrations_run_when_none_were_detected():
    assert not any("alembic" in line for line in script(migrations=False))


def test_a_factory_is_started_with_the_factory_flag():
    assert "--factory" in server(script("bookshop.main:create_app", factory=True))


def test_an_app_is_started_without_the_factory_flag():
    assert "--factory" not in server(script())


def test_an_app_dir_is_passed_to_uvicorn():
    argv = server(script("bookshop.main:app", app_dir="src"))

    assert argv[argv.index("--app-dir") + 1] == "src"


def test_the_script_announces_what_it_runs():
    lines = script(migrations=True)

    assert f"echo '[assay] running: {MIGRATE}'" in lines
    assert any(line.startswith("echo '[assay] starting: python -m uvicorn") for line in lines)


def test_a_process_runs_its_migration_then_its_command() -> None:
    process = ProcessSpec(name="users", command="serve users", port=8001, migrate="migrate users")
    launch = process_launch(process)
    assert launch.port == 8001
    assert launch.script.splitlines()[-1] == "exec serve users"
    assert "migrate users" in launch.script


def test_a_process_without_a_port_only_has_to_keep_running() -> None:
    assert process_launch(ProcessSpec(name="worker", command="work")).port is None
