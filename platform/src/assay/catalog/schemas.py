"""The shapes of ``problem.toml`` and ``rubric.toml``, validated when a problem is loaded."""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Service = Literal["postgres", "redis"]
# What the engine measures, besides ``hidden.all`` and ``hidden.<category>`` of the problem's
# own hidden tests; a rubric naming anything else would score it as an unexplained zero.
MEASURED_SIGNALS = frozenset(
    {
        "selftest.pass_ratio",
        "selftest.test_count",
        "selftest.line_coverage",
        "selftest.branch_coverage",
        "selftest.mutation_score",
        "static.lint_per_kloc",
        "static.security_findings",
        "static.format_clean",
        "static.mean_complexity",
        "static.max_complexity",
        "static.docstring_ratio",
        "static.type_hint_ratio",
        "architecture.contracts",
        "load.p50_ratio",
        "load.p95_ratio",
        "load.rps_ratio",
        "load.p95_ms",
        "load.rps",
        "load.failure_rate",
        "load.peak_memory_mb",
    }
)
RESERVED_NAMES = {"postgres", "redis", "pause", "tester", "selftest"}


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AppSpec(Strict):
    entrypoint: str = "app.main:app"
    port: int = 8000
    health: str = "/health"
    migrate: str = "alembic upgrade head"
    startup_seconds: int = 60


class LimitsSpec(Strict):
    memory_mb: int = Field(default=768, ge=64)
    cpus: float = Field(default=1.0, gt=0)
    pids: int = Field(default=256, ge=16)
    tmpfs_mb: int = Field(default=256, ge=16)


class Deadlines(Strict):
    boot: int = 90
    hidden: int = 180
    selftest: int = 240
    static: int = 120
    load: int = 120
    faults: int = 90


class LoadSpec(Strict):
    users: int = Field(default=10, ge=1)
    spawn_rate: float = Field(default=5, gt=0)
    seconds: int = Field(default=20, ge=5)

    @property
    def warmup_seconds(self) -> float:
        return self.users / self.spawn_rate


class MutationSpec(Strict):
    """How many mutants of the candidate's code their tests face, within how long; measured
    only when the rubric reads ``selftest.mutation_score``."""

    mutants: int = Field(default=8, ge=1)
    seconds: int = Field(default=60, ge=10)


class ProcessSpec(Strict):
    """One of several processes a submission runs, each in its own container of the pod."""

    name: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    command: str
    port: int | None = None
    health: str = "/health"
    migrate: str | None = None


class FaultSpec(Strict):
    """What fails before the `degraded` tests: a stopped service refuses connections at once;
    a paused one accepts them and never answers, as a hung dependency does."""

    stop: list[str] = []
    pause: list[str] = []

    @property
    def planned(self) -> bool:
        return bool(self.stop or self.pause)


class ProblemSpec(Strict):
    slug: str
    title: str
    version: str
    # exact: the statement fixes paths, fields and shapes; open: the candidate chooses them
    # and the hidden suite binds to their API (the binding is in the report)
    contract: Literal["exact", "open"] = "exact"
    difficulty: Literal["junior", "intermediate", "advanced"]
    time_box: str
    stack: list[str]
    services: list[Service] = []
    app: AppSpec = AppSpec()
    env: dict[str, str] = {}
    limits: LimitsSpec = LimitsSpec()
    deadlines: Deadlines = Deadlines()
    load: LoadSpec = LoadSpec()
    faults: FaultSpec = FaultSpec()
    mutation: MutationSpec = MutationSpec()
    processes: list[ProcessSpec] = []

    @property
    def scaffold_entrypoint(self) -> str | None:
        """The app a submission is expected to start; None for several processes, whose
        commands the statement fixes, so that nothing is detected."""
        return None if self.processes else self.app.entrypoint

    @model_validator(mode="after")
    def _processes_and_faults_fit(self) -> "ProblemSpec":
        names = [process.name for process in self.processes]
        if len(names) != len(set(names)) or RESERVED_NAMES.intersection(names):
            raise ValueError(f"process names must be unique and none of {sorted(RESERVED_NAMES)}")
        if names and self.app.port not in {process.port for process in self.processes}:
            raise ValueError(f"no process listens on the public port {self.app.port}")
        unknown = {*self.faults.stop, *self.faults.pause} - set(self.services) - set(names)
        if unknown:
            raise ValueError(f"faults name no service or process: {sorted(unknown)}")
        return self


class SignalSpec(Strict):
    signal: str
    weight: float = Field(default=1.0, gt=0)
    worst: float
    best: float

    @model_validator(mode="after")
    def _distinct_ends(self) -> "SignalSpec":
        if self.worst == self.best:
            raise ValueError(f"signal {self.signal}: worst and best must differ")
        return self


class CriterionSpec(Strict):
    id: str
    title: str
    weight: float = Field(gt=0)
    manual: bool = False
    gate: str | None = None
    description: str = ""
    signals: list[SignalSpec] = []

    @model_validator(mode="after")
    def _signals_unless_manual(self) -> "CriterionSpec":
        if not self.manual and not self.signals:
            raise ValueError(f"criterion {self.id}: an automated criterion needs signals")
        return self


class RubricSpec(Strict):
    version: str
    criteria: list[CriterionSpec]

    def signal_names(self) -> set[str]:
        """Every signal the rubric reads, gates included."""
        names = {entry.signal for criterion in self.criteria for entry in criterion.signals}
        return names | {criterion.gate for criterion in self.criteria if criterion.gate}

    @model_validator(mode="after")
    def _unique_ids(self) -> "RubricSpec":
        ids = [criterion.id for criterion in self.criteria]
        if len(ids) != len(set(ids)):
            raise ValueError("criterion ids must be unique")
        return self
