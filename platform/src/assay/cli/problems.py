"""``assay problems``: list the shipped problems, and calibrate them."""

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from assay.catalog import bundle
from assay.catalog.loader import list_slugs, load_problem
from assay.cli.grading import SandboxOption, grade_one
from assay.cli.output import EXIT_BELOW_MIN, console, reported, say
from assay.config import get_settings
from assay.errors import InvalidInput
from assay.grading.calibration import (
    REFERENCE_MIN,
    RUNS,
    STARTER_MAX,
    calibrate,
    key_of,
    record_of,
    record_path,
    write_record,
)
from assay.grading.report import Report
from assay.sandbox.backends import open_sandbox
from assay.sandbox.images import input_digest


def list_problems() -> None:
    """List the problems with their version, difficulty and time box."""
    settings = get_settings()
    table = Table()
    for column in ("slug", "title", "version", "difficulty", "time box"):
        table.add_column(column)
    with reported():
        for slug in list_slugs(settings.root):
            spec = load_problem(settings.root, slug).spec
            table.add_row(spec.slug, spec.title, spec.version, spec.difficulty, spec.time_box)
    console.print(table)


def export(
    slug: Annotated[str, typer.Argument(help="The problem.")],
    destination: Annotated[Path, typer.Argument(help="A new folder for the candidate's copy.")],
) -> None:
    """Write what a candidate gets: statement, starter, how to run and submit; nothing hidden."""
    settings = get_settings()
    with reported():
        problem = load_problem(settings.root, slug)
        try:
            written = bundle.write(problem, destination)
        except FileExistsError as error:
            raise InvalidInput(str(error)) from error
    console.print(f"wrote {len(written)} files to {destination}")


def validate(
    slug: Annotated[str | None, typer.Argument(help="One problem; all when omitted.")] = None,
    runs: Annotated[int, typer.Option(min=1, help="Reference runs.")] = RUNS,
    sandbox: SandboxOption = None,
) -> None:
    """Calibrate references and starters, record the result beside each problem; exit 1 on a
    failed band."""
    settings = get_settings()
    table = Table(
        title=f"Calibration: reference >= {REFERENCE_MIN:g} in {runs} runs, "
        f"starter <= {STARTER_MAX:g}, no flaky hidden test",
        title_justify="left",
    )
    for column in ("problem", "reference", "starter", "verdict"):
        table.add_column(column, overflow="fold")
    failed = False
    with reported():
        backend = open_sandbox(settings, sandbox or settings.sandbox, say)
        runtime_inputs = input_digest(settings)
        for name in [slug] if slug else list_slugs(settings.root):
            problem = load_problem(settings.root, name)
            result = calibrate(
                problem,
                lambda problem, folder, measure_load=True: grade_one(
                    settings, problem, backend, folder, measure_load=measure_load, show=False
                ),
                runs=runs,
            )
            write_record(problem, record_of(result, key_of(problem, runtime_inputs)))
            failed |= not result.ok
            references = ", ".join(_total(report) for report in result.references)
            verdict = "ok" if result.ok else "; ".join(result.failures)
            table.add_row(name, references, _total(result.starter), Text(verdict))
            say(f"recorded {record_path(problem)}")
    console.print(table)
    if failed:
        raise typer.Exit(EXIT_BELOW_MIN)


def _total(report: Report | None) -> str:
    if report is None:
        return "-"
    return "error" if report.total is None else f"{report.total:g}"
