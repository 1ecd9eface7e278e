"""What every stage of one grading run shares."""

import json
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from assay.catalog.loader import Problem
from assay.errors import PlatformError
from assay.grading import configure
from assay.grading.report import Report, Stage, StageStatus
from assay.sandbox.infra import APP_DB, APP_ROLE, SELFTEST_DB
from assay.sandbox.limits import Limits
from assay.sandbox.pod import Pod, PodSpec, Sandbox

Progress = Callable[[Stage], None]
BINDING_FILE = "binding.json"  # where an open brief's suite says how it bound the API
TOOLKIT = Path(__file__).resolve().parents[1] / "toolkit"


def open_pod(
    sandbox: Sandbox,
    problem: Problem,
    submission: bytes,
    run_id: str,
    *,
    discovered: configure.Discovered | None = None,
    app_image: str | None = None,
) -> AbstractContextManager[Pod]:
    """A pod for a packed submission with the problem's services, limits and evaluation, and
    the roles, databases and host names the submission expects."""
    discovered = discovered or configure.Discovered()
    spec = PodSpec(
        run_id=run_id,
        submission=submission,
        toolkit=TOOLKIT,
        evaluation=problem.evaluation,
        services=tuple(problem.spec.services),
        limits=Limits(**problem.spec.limits.model_dump()),
        app_port=problem.spec.app.port,
        fixed_ports=bool(problem.spec.processes),
        logins=tuple(discovered.logins),
        host_aliases=configure.aliases(discovered),
        app_image=app_image,
    )
    return sandbox.pod(spec)


@dataclass
class Run:
    problem: Problem
    pod: Pod
    sandbox: Sandbox
    report: Report
    seed: int
    progress: Progress = field(default=lambda stage: None)
    measure_load: bool = True
    healthy: bool = False
    app_port: int | None = None  # where the service was found, when not where expected
    discovered: configure.Discovered = field(default_factory=configure.Discovered)
    binding: dict[str, Any] | None = None  # a reviewer's correction of an open brief's binding
    overrides: dict[str, str] = field(default_factory=dict)  # a reviewer's env, as templates

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.app_port or self.pod.endpoints.app_port}"

    def scratch(self, name: str) -> PurePosixPath:
        return self.pod.paths.scratch / name

    def toolkit(self, script: str) -> str:
        return str(self.pod.paths.toolkit / script)

    def service_env(self, *, database: str = APP_DB, redis_db: int = 0) -> dict[str, str]:
        """The candidate's environment: the problem's, filled in for this pod, and a value for
        every other database or cache variable the submission reads."""
        env, _ = self.configured_env(database=database, redis_db=redis_db)
        return env

    def configured_env(
        self, *, database: str = APP_DB, redis_db: int = 0
    ) -> tuple[dict[str, str], list[str]]:
        """The environment, and a sentence for each value the grader inferred or a reviewer
        pinned. A reviewer's value wins over the problem's and the inferred ones: it is the
        correction of either."""
        values = self._placeholders(database, redis_db)
        spec_env = self.problem.spec.env
        given = {key: configure.fill(template, values) for key, template in spec_env.items()}
        pinned, pinned_notes = configure.pinned(self.overrides, values, self.discovered)
        ends = self.pod.endpoints
        pod = configure.Pod(
            db_user=APP_ROLE,
            db_password=ends.credentials.app_password,
            db_host=ends.db_host,
            db_port=ends.db_port,
            db_name=database,
            redis_host=ends.redis_host,
            redis_port=ends.redis_port,
            redis_db=redis_db,
        )
        inferred, notes = configure.environment(
            self.discovered,
            pod,
            given={**given, **pinned},
            services=frozenset(self.problem.spec.services),
        )
        return {**inferred, **given, **pinned}, notes + pinned_notes

    def _placeholders(self, database: str, redis_db: int) -> dict[str, str]:
        """What ``{db_user}``, ``{db_password}``... stand for in this pod's env templates."""
        ends = self.pod.endpoints
        return {
            "db_user": APP_ROLE,
            "db_password": ends.credentials.app_password,
            "db_host": ends.db_host,
            "db_port": str(ends.db_port),
            "db_name": database,
            "redis_host": ends.redis_host,
            "redis_port": str(ends.redis_port),
            "redis_db": str(redis_db),
        }

    def selftest_env(self) -> dict[str, str]:
        return self.service_env(database=SELFTEST_DB, redis_db=1)

    def tester_env(self) -> dict[str, str]:
        """What hidden tests and Locust see: the pod's endpoints and the app's own environment."""
        ends = self.pod.endpoints
        services = self.problem.spec.services
        env = {
            "ASSAY_BASE_URL": self.base_url,
            "ASSAY_SEED": str(self.seed),
            "ASSAY_BINDING_OUT": str(self.scratch(BINDING_FILE)),
            **({"ASSAY_BINDING": json.dumps(self.binding)} if self.binding else {}),
            **{f"ASSAY_APP_{key}": value for key, value in self.service_env().items()},
        }
        if "redis" in services:
            env["ASSAY_REDIS_URL"] = ends.redis_url(0)
        if "postgres" in services:
            env["ASSAY_DATABASE_URL"] = ends.database_url(APP_DB, grader=True)
            env["ASSAY_GRADER_DATABASE_URL"] = ends.grader_database_url()
        return env

    @contextmanager
    def stage(self, name: str) -> Iterator[Stage]:
        """Time a stage, record it in the report and tell the live view as it starts and ends.

        A :class:`PlatformError` inside a stage marks the stage as the grader's failure and
        ends it; the run goes on gathering evidence, and the report is not scored.
        """
        stage = Stage(name=name, status=StageStatus.passed, summary="running")
        self.progress(stage.model_copy())
        started = time.monotonic()
        try:
            yield stage
        except PlatformError as error:
            stage.status = StageStatus.error
            stage.summary = f"the grader failed here: {error.message}"
        except Exception as error:
            stage.status = StageStatus.error
            stage.summary = f"the grader crashed here: {type(error).__name__}: {error}"
            raise
        finally:
            stage.seconds = round(time.monotonic() - started, 2)
            self.report.stages.append(stage)
            self.progress(stage)

    def skip(self, name: str, why: str) -> None:
        stage = Stage(name=name, status=StageStatus.skipped, summary=why)
        self.report.stages.append(stage)
        self.progress(stage)
