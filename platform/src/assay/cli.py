"""The ``assay`` command: grade a folder, run the demo, manage images and problems."""

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from assay.catalog.service import Problem, list_slugs, load_problem
from assay.config import SandboxKind, Settings, get_settings
from assay.errors import AssayError, PlatformError
from assay.grading.calibration import REFERENCE_MIN, RUNS, STARTER_MAX, calibrate
from assay.grading.junit import to_junit
from assay.grading.pipeline import grade as grade_submission
from assay.grading.render import LiveStages, show_report
from assay.grading.report import Outcome, Report
from assay.sandbox.backends import open_sandbox
from assay.sandbox.docker import connect
from assay.sandbox.docker import reap as reap_pods
from assay.sandbox.images import ensure_runtime_image
from assay.sandbox.pod import Sandbox

EXIT_BELOW_MIN = 1
EXIT_INVALID = 2
EXIT_PLATFORM = 3

app = typer.Typer(no_args_is_help=True, help="Assay grades backend take-home submissions.")
images_app = typer.Typer(no_args_is_help=True, help="The sandbox images.")
problems_app = typer.Typer(no_args_is_help=True, help="The problems this repository ships.")
app.add_typer(images_app, name="images")
app.add_typer(problems_app, name="problems")
console = Console()
err = Console(stderr=True)


def say(line: str) -> None:
    """Relay a progress line (build output, warnings) as plain text to stderr."""
    err.print(line, markup=False, highlight=False, soft_wrap=True)


def _fail(error: AssayError) -> typer.Exit:
    err.print(f"[red]error:[/red] {error.message}")
    return typer.Exit(EXIT_PLATFORM if isinstance(error, PlatformError) else EXIT_INVALID)


def _grade_one(
    settings: Settings,
    problem: Problem,
    sandbox: Sandbox,
    path: Path,
    *,
    seed: int | None = None,
    show: bool = True,
) -> Report:
    with LiveStages(console, f"Grading {path} ({problem.slug})") as live:
        report = grade_submission(
            problem,
            path,
            sandbox=sandbox,
            lock=settings.docker_dir / "runtime" / "requirements.lock",
            cache_dir=settings.cache_dir,
            seed=seed,
            progress=live.update,
        )
    if show:
        show_report(console, report)
    return report


@app.command()
def grade(
    path: Annotated[Path, typer.Argument(help="The submission folder.")],
    problem: Annotated[str, typer.Option("--problem", "-p", help="Problem slug.")],
    json_file: Annotated[Path | None, typer.Option("--json", help="Write the report here.")] = None,
    junit_file: Annotated[
        Path | None, typer.Option("--junit", help="Write JUnit XML here.")
    ] = None,
    min_score: Annotated[float | None, typer.Option(help="Exit 1 under this total.")] = None,
    sandbox: Annotated[SandboxKind | None, typer.Option(help="docker (default) or local.")] = None,
    seed: Annotated[int | None, typer.Option(help="Seed for randomized test data.")] = None,
) -> None:
    """Grade PATH against a problem and print the score with its evidence."""
    settings = get_settings()
    try:
        spec = load_problem(settings.root, problem)
        backend = open_sandbox(settings, sandbox or settings.sandbox, say)
        report = _grade_one(settings, spec, backend, path.resolve(), seed=seed)
    except AssayError as error:
        raise _fail(error) from error
    if json_file is not None:
        json_file.write_text(report.model_dump_json(indent=2), encoding="utf-8")
    if junit_file is not None:
        junit_file.write_text(to_junit(report, min_score=min_score), encoding="utf-8")
    if report.outcome is Outcome.error:
        raise typer.Exit(EXIT_PLATFORM)
    if min_score is not None and (report.total or 0.0) < min_score:
        err.print(f"total {report.total:g} is under --min-score {min_score:g}")
        raise typer.Exit(EXIT_BELOW_MIN)


@app.command()
def demo(
    sandbox: Annotated[SandboxKind | None, typer.Option(help="docker (default) or local.")] = None,
) -> None:
    """Grade every problem's reference solution and starter code and show the scores."""
    settings = get_settings()
    summary = Table(title="Assay demo", title_justify="left")
    for column in ("problem", "submission", "score", "outcome"):
        summary.add_column(column)
    failed = False
    try:
        backend = open_sandbox(settings, sandbox or settings.sandbox, say)
        for slug in list_slugs(settings.root):
            problem = load_problem(settings.root, slug)
            for label, path in (("reference", problem.reference), ("starter", problem.starter)):
                report = _grade_one(settings, problem, backend, path)
                failed |= report.outcome is Outcome.error
                total = "-" if report.total is None else f"{report.total:g}"
                summary.add_row(slug, label, total, report.outcome.value)
    except AssayError as error:
        raise _fail(error) from error
    console.print(summary)
    if failed:
        raise typer.Exit(EXIT_PLATFORM)


@images_app.command("build")
def build_images() -> None:
    """Build the sandbox images when their inputs changed (a no-op otherwise)."""
    try:
        image = ensure_runtime_image(connect(), get_settings(), say)
    except AssayError as error:
        raise _fail(error) from error
    console.print(f"runtime image {image.tag} ({image.id[:19]})")


@app.command()
def reap() -> None:
    """Remove containers and volumes left behind by crashed grading runs."""
    try:
        console.print(f"removed {reap_pods(connect())} containers")
    except AssayError as error:
        raise _fail(error) from error


@problems_app.command("list")
def list_problems() -> None:
    """List the problems with their version, difficulty and time box."""
    settings = get_settings()
    table = Table()
    for column in ("slug", "title", "version", "difficulty", "time box"):
        table.add_column(column)
    for slug in list_slugs(settings.root):
        spec = load_problem(settings.root, slug).spec
        table.add_row(spec.slug, spec.title, spec.version, spec.difficulty, spec.time_box)
    console.print(table)


@problems_app.command("validate")
def validate(
    slug: Annotated[str | None, typer.Argument(help="One problem; all when omitted.")] = None,
    runs: Annotated[int, typer.Option(min=1, help="Reference runs.")] = RUNS,
    sandbox: Annotated[SandboxKind | None, typer.Option(help="docker (default) or local.")] = None,
) -> None:
    """Grade references and starters and check the calibration bands; exit 1 if any fails."""
    settings = get_settings()
    table = Table(
        title=f"Calibration: reference >= {REFERENCE_MIN:g} in {runs} runs, "
        f"starter <= {STARTER_MAX:g}, no flaky hidden test",
        title_justify="left",
    )
    for column in ("problem", "reference", "starter", "verdict"):
        table.add_column(column, overflow="fold")
    failed = False
    try:
        backend = open_sandbox(settings, sandbox or settings.sandbox, say)
        for name in [slug] if slug else list_slugs(settings.root):
            problem = load_problem(settings.root, name)
            result = calibrate(
                problem,
                lambda problem, folder: _grade_one(settings, problem, backend, folder, show=False),
                runs=runs,
            )
            failed |= not result.ok
            references = ", ".join(_total(report) for report in result.references)
            verdict = "ok" if result.ok else "; ".join(result.failures)
            table.add_row(name, references, _total(result.starter), verdict)
    except AssayError as error:
        raise _fail(error) from error
    console.print(table)
    if failed:
        raise typer.Exit(EXIT_BELOW_MIN)


def _total(report: Report) -> str:
    return "error" if report.total is None else f"{report.total:g}"
