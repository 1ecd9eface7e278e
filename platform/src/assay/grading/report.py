"""The grading report: the versioned JSON document every score is explained from.

Bump ``SCHEMA_VERSION`` on any change a reader of an older report would misread.
"""

from datetime import datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = 1


class Outcome(StrEnum):
    """Whether the submission was graded, or the platform failed and nothing can be said of it."""

    graded = "graded"
    error = "error"


class StageStatus(StrEnum):
    passed = "passed"
    failed = "failed"
    skipped = "skipped"
    error = "error"


class Stage(BaseModel):
    name: str
    status: StageStatus
    seconds: float = 0.0
    summary: str = ""
    log: str = ""


TestOutcome = Literal["passed", "failed", "error", "skipped", "missing"]


class HiddenTest(BaseModel):
    id: str
    category: str = "functionality"
    weight: float = 1.0
    visible: bool = True
    degraded: bool = False
    doc: str = ""
    outcome: TestOutcome = "missing"
    message: str = ""
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        return self.outcome == "passed"


class Mutant(BaseModel):
    """One small change to the candidate's code, and whether their tests noticed it."""

    file: str
    line: int
    original: str
    mutated: str
    outcome: str  # "passed" (it survived), "failed: <the test that noticed>" or "timed out"

    @property
    def killed(self) -> bool:
        return self.outcome != "passed"

    @property
    def killed_by(self) -> str:
        """The test that failed on the mutant, when one is named."""
        return self.outcome.removeprefix("failed: ") if self.outcome.startswith("failed: ") else ""


class Mutation(BaseModel):
    """A sample of mutants on the lines the candidate's tests ran (self-reported, as the tests
    are)."""

    candidates: int = 0  # mutants possible on those lines, before sampling
    mutants: list[Mutant] = []
    baseline_seconds: float | None = None
    skipped: str = ""

    @property
    def killed(self) -> int:
        return sum(mutant.killed for mutant in self.mutants)

    @property
    def score(self) -> float | None:
        """The share of drawn mutants the tests killed; None when none was drawn."""
        return self.killed / len(self.mutants) if self.mutants else None


class SelfTests(BaseModel):
    """The candidate's own tests: self-reported, run under the grader's configuration."""

    collected: int = 0
    passed: int = 0
    failed: int = 0
    collect_errors: int = 0
    statements: int = 0
    covered_statements: int = 0
    branches: int = 0
    covered_branches: int = 0
    line_coverage: float | None = None
    branch_coverage: float | None = None
    failures: list[str] = []
    mutation: Mutation | None = None


class LintFinding(BaseModel):
    code: str
    message: str
    file: str
    line: int


class ComplexFunction(BaseModel):
    where: str
    complexity: int


class StaticAnalysis(BaseModel):
    files: int = 0
    code_lines: int = 0
    syntax_errors: list[str] = []
    findings_total: int = 0
    findings_by_rule: dict[str, int] = {}
    findings: list[LintFinding] = []
    excused_by_noqa: int = 0
    blanket_noqa: list[str] = []
    unformatted: list[str] = []
    functions: int = 0
    mean_complexity: float | None = None
    max_complexity: int | None = None
    most_complex: list[ComplexFunction] = []
    public: int = 0
    documented: int = 0
    missing_docstrings: list[str] = []
    slots: int = 0
    annotated: int = 0


class Contract(BaseModel):
    name: str
    kept: bool
    detail: str = ""


class LoadFigures(BaseModel):
    requests: int
    failures: int
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float

    @property
    def failure_rate(self) -> float:
        return self.failures / self.requests if self.requests else 1.0


class LoadTest(BaseModel):
    users: int
    seconds: int
    warmup_seconds: float
    figures: LoadFigures | None = None
    peak_memory_mb: float | None = None
    reference: LoadFigures | None = None
    reference_source: str = ""


class Detection(BaseModel):
    """What the grader had to work out about a submission that need not follow the scaffold."""

    entrypoint: str | None = None
    entrypoint_source: Literal["scaffold", "declared", "detected", "missing"] = "missing"
    app_dir: str | None = None
    factory: bool = False
    migrations: bool = False
    requirements_installed: list[str] = []  # from the wheelhouse, into the app's image
    requirements_missing: list[str] = []
    notes: list[str] = []
    left_out: list[str] = []  # files not copied into the pod (links, devices, odd names)
    ignored: list[str] = []  # what the submission ships that the grader never reads
    configuration: list[str] = []  # values the grader inferred for the submission's settings


class SignalScore(BaseModel):
    signal: str
    value: float | None
    fraction: float
    weight: float
    worst: float
    best: float
    note: str


class Gate(BaseModel):
    signal: str
    value: float
    note: str


class CriterionReview(BaseModel):
    """A reviewer's word on a criterion: a 1-5 score of a manual one, or points overriding
    what the engine gave an automatic one (kept in ``automatic_points``)."""

    kind: Literal["manual", "override"]
    score: int | None = None
    automatic_points: float | None = None
    note: str = ""


class CriterionScore(BaseModel):
    id: str
    title: str
    weight: float
    manual: bool = False
    fraction: float | None
    points: float | None
    gate: Gate | None = None
    signals: list[SignalScore] = []
    review: CriterionReview | None = None


class Binding(BaseModel):
    """How an open brief's operations were bound to the candidate's own API: read from its
    OpenAPI document and confirmed by probing, or pinned by a reviewer."""

    model_config = ConfigDict(extra="allow")

    source: str = "openapi"
    operations: dict[str, dict[str, Any]] = {}
    notes: list[str] = []


class Reproducibility(BaseModel):
    problem: str
    problem_version: str
    hidden_suite_sha256: str
    submission_sha256: str
    image: str
    image_id: str
    backend: str
    seed: int
    limits: dict[str, float]
    deadlines: dict[str, int]
    assay_version: str


class Report(BaseModel):
    schema_version: int = SCHEMA_VERSION
    run_id: str
    submission: str
    started_at: datetime
    finished_at: datetime | None = None
    outcome: Outcome = Outcome.graded
    error: str | None = None
    total: float | None = None
    criteria: list[CriterionScore] = []
    stages: list[Stage] = []
    detection: Detection = Field(default_factory=Detection)
    hidden_tests: list[HiddenTest] = []
    selftests: SelfTests | None = None
    static: StaticAnalysis | None = None
    contracts: list[Contract] = []
    load: LoadTest | None = None
    reproducibility: Reproducibility | None = None
    binding: Binding | None = None
