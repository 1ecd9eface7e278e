"""What every stage of one grading run shares."""

import re
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import assay
from assay.catalog.service import Problem
from assay.grading.report import Report, Stage, StageStatus
from assay.sandbox.limits import Limits
from assay.sandbox.pod import APP_DB, DB_PASSWORD, DB_USER, SELFTEST_DB, Pod, PodSpec, Sandbox

Progress = Callable[[Stage], None]
PLACEHOLDER = re.compile(r"\{(\w+)\}")
TOOLKIT = Path(assay.__file__).parent / "toolkit"


def fill(template: str, values: dict[str, str]) -> str:
    """Substitute the known ``{placeholders}``; any other brace is the value's own text."""
    return PLACEHOLDER.sub(lambda match: values.get(match.group(1), match.group(0)), template)


def open_pod(
    sandbox: Sandbox, problem: Problem, submission: Path, run_id: str
) -> AbstractContextManager[Pod]:
    """A pod for ``submission`` with the problem's services, limits and evaluation folder."""
    spec = PodSpec(
        run_id=run_id,
        submission=submission,
        toolkit=TOOLKIT,
        evaluation=problem.evaluation,
        services=tuple(problem.spec.services),
        limits=Limits(**problem.spec.limits.model_dump()),
        app_port=problem.spec.app.port,
        fixed_ports=bool(problem.spec.processes),
    )
    return sandbox.pod(spec)


@dataclass
class Run:
    problem: Problem
    pod: Pod
    report: Report
    seed: int
    progress: Progress = field(default=lambda stage: None)
    healthy: bool = False

    def scratch(self, name: str) -> PurePosixPath:
        return self.pod.paths.scratch / name

    def service_env(self, *, database: str = APP_DB, redis_db: int = 0) -> dict[str, str]:
        """The problem's environment for the candidate's code, filled in for this pod."""
        ends = self.pod.endpoints
        values = {
            "db_user": DB_USER,
            "db_password": DB_PASSWORD,
            "db_host": ends.db_host,
            "db_port": str(ends.db_port),
            "db_name": database,
            "redis_host": ends.redis_host,
            "redis_port": str(ends.redis_port),
            "redis_db": str(redis_db),
        }
        return {key: fill(template, values) for key, template in self.problem.spec.env.items()}

    def selftest_env(self) -> dict[str, str]:
        return self.service_env(database=SELFTEST_DB, redis_db=1)

    def tester_env(self) -> dict[str, str]:
        """What hidden tests and Locust see: the pod's endpoints and the app's own environment."""
        ends = self.pod.endpoints
        services = self.problem.spec.services
        env = {
            "ASSAY_BASE_URL": ends.app_url,
            "ASSAY_SEED": str(self.seed),
            "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
            **{f"ASSAY_APP_{key}": value for key, value in self.service_env().items()},
        }
        if "redis" in services:
            env["ASSAY_REDIS_URL"] = f"redis://{ends.redis_host}:{ends.redis_port}/0"
        if "postgres" in services:
            env["ASSAY_DATABASE_URL"] = (
                f"postgresql://{DB_USER}:{DB_PASSWORD}@{ends.db_host}:{ends.db_port}/{APP_DB}"
            )
        return env

    @contextmanager
    def stage(self, name: str) -> Iterator[Stage]:
        """Time a stage, record it in the report and tell the live view as it starts and ends."""
        stage = Stage(name=name, status=StageStatus.passed, summary="running")
        self.progress(stage.model_copy())
        started = time.monotonic()
        try:
            yield stage
        except Exception as error:
            stage.status = StageStatus.error
            stage.summary = f"the grader failed here: {error}"
            raise
        finally:
            stage.seconds = round(time.monotonic() - started, 2)
            self.report.stages.append(stage)
            self.progress(stage)

    def skip(self, name: str, why: str) -> None:
        stage = Stage(name=name, status=StageStatus.skipped, summary=why)
        self.report.stages.append(stage)
        self.progress(stage)
