"""``assay grade`` and ``assay demo``: grade folders on this machine and show the evidence."""

import os
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from assay.catalog.loader import Problem, list_slugs, load_problem
from assay.cli.output import EXIT_BELOW_MIN, EXIT_PLATFORM, console, err, reported, say
from assay.config import SandboxKind, Settings, get_settings
from assay.grading import configure, github
from assay.grading.junit import to_junit
from assay.grading.pipeline import grade as grade_submission
from assay.grading.render import LiveStages, show_report
from assay.grading.report import Outcome, Report
from assay.sandbox.backends import open_sandbox
from assay.sandbox.pod import Sandbox

SandboxOption = Annotated[SandboxKind | None, typer.Option(help="docker (default) or local.")]


def grade_one(
    settings: Settings,
    problem: Problem,
    sandbox: Sandbox,
    path: Path,
    *,
    seed: int | None = None,
    measure_load: bool = True,
    overrides: dict[str, str] | None = None,
    show: bool = True,
) -> Report:
    with LiveStages(console, f"Grading {path} ({problem.slug})") as live:
        report = grade_submission(
            problem,
            path,
            sandbox=sandbox,
            cache_dir=settings.cache_dir,
            baseline_max_age_s=settings.baseline_max_age_s,
            seed=seed,
            measure_load=measure_load,
            overrides=overrides,
            progress=live.update,
        )
    if show:
        show_report(console, report)
    return report


class OutputFormat(StrEnum):
    text = "text"
    github = "github"


def write_outputs(
    report: Report, *, json_file: Path | None, junit_file: Path | None, min_score: float | None
) -> None:
    if json_file is not None:
        json_file.write_text(report.model_dump_json(indent=2), encoding="utf-8")
    if junit_file is not None:
        junit_file.write_text(to_junit(report, min_score=min_score), encoding="utf-8")


def for_github(report: Report) -> None:
    """Annotations on stdout, where the runner reads them; the summary where it asks for one."""
    for line in github.annotations(report):
        print(line)
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary_file:
        with Path(summary_file).open("a", encoding="utf-8") as handle:
            handle.write(github.summary(report))


def grade(
    path: Annotated[Path, typer.Argument(help="The submission folder.")],
    problem: Annotated[str, typer.Option("--problem", "-p", help="Problem slug.")],
    json_file: Annotated[Path | None, typer.Option("--json", help="Write the report here.")] = None,
    junit_file: Annotated[
        Path | None, typer.Option("--junit", help="Write JUnit XML here.")
    ] = None,
    min_score: Annotated[float | None, typer.Option(help="Exit 1 under this total.")] = None,
    sandbox: SandboxOption = None,
    seed: Annotated[int | None, typer.Option(help="Seed for randomized test data.")] = None,
    output_format: Annotated[
        OutputFormat,
        typer.Option("--format", help="github: also annotations and a step summary."),
    ] = OutputFormat.text,
    env: Annotated[
        list[str] | None,
        typer.Option(
            "--env",
            metavar="NAME=VALUE",
            help="Start the service with this variable, over what the grader infers "
            "(repeatable; {db_user} {db_password} {db_host} {db_port} {db_name} {redis_host} "
            "{redis_port} {redis_db} are filled in for the pod).",
        ),
    ] = None,
) -> None:
    """Grade PATH against a problem and print the score with its evidence."""
    settings = get_settings()
    with reported():
        spec = load_problem(settings.root, problem)
        overrides = configure.parse_overrides(env or [], counted_as="--env option")
        backend = open_sandbox(settings, sandbox or settings.sandbox, say)
        report = grade_one(settings, spec, backend, path.resolve(), seed=seed, overrides=overrides)
    write_outputs(report, json_file=json_file, junit_file=junit_file, min_score=min_score)
    if output_format is OutputFormat.github:
        for_github(report)
    if report.outcome is Outcome.error:
        raise typer.Exit(EXIT_PLATFORM)
    if min_score is not None and (report.total or 0.0) < min_score:
        err.print(f"total {report.total:g} is under --min-score {min_score:g}")
        raise typer.Exit(EXIT_BELOW_MIN)


def demo(sandbox: SandboxOption = None) -> None:
    """Grade every problem's reference solution and starter code and show the scores."""
    settings = get_settings()
    summary = Table(title="Assay demo", title_justify="left")
    for column in ("problem", "submission", "score", "outcome"):
        summary.add_column(column)
    failed = False
    with reported():
        backend = open_sandbox(settings, sandbox or settings.sandbox, say)
        for slug in list_slugs(settings.root):
            problem = load_problem(settings.root, slug)
            for label, path in (("reference", problem.reference), ("starter", problem.starter)):
                report = grade_one(settings, problem, backend, path)
                failed |= report.outcome is Outcome.error
                total = "-" if report.total is None else f"{report.total:g}"
                summary.add_row(slug, label, total, report.outcome.value)
    console.print(summary)
    if failed:
        raise typer.Exit(EXIT_PLATFORM)
