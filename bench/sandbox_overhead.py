"""What isolation costs: every stage of one grading, in a Docker pod and as local processes.

Both backends grade the same reference solution in the same run, so the ratios hold on any
machine. Run with ``make bench``.
"""

import sys
import tempfile
from pathlib import Path

from rich.console import Console
from rich.table import Table

from assay.catalog.loader import load_problem
from assay.config import get_settings
from assay.grading.pipeline import grade
from assay.grading.report import LoadFigures, Outcome, Report
from assay.sandbox.backends import open_sandbox

PROBLEM = "book-reviews"


def _grade(kind: str, cache: Path) -> Report:
    settings = get_settings()
    problem = load_problem(settings.root, PROBLEM)
    sandbox = open_sandbox(settings, kind, lambda line: None)  # type: ignore[arg-type]
    report = grade(problem, problem.reference, sandbox=sandbox, cache_dir=cache)
    if report.outcome is not Outcome.graded:
        sys.exit(f"{kind}: {report.error}")
    return report


def _elapsed(report: Report) -> float:
    return ((report.finished_at or report.started_at) - report.started_at).total_seconds()


def _load(report: Report) -> LoadFigures:
    if report.load is None or report.load.figures is None:
        sys.exit(f"{report.reproducibility}: no load figures")
    return report.load.figures


def main() -> None:
    with tempfile.TemporaryDirectory() as cache:
        docker, local = _grade("docker", Path(cache)), _grade("local", Path(cache))
    table = Table(title=f"{PROBLEM} reference: Docker pod vs local processes")
    for column in ("stage", "docker s", "local s", "docker / local"):
        table.add_column(column, justify="right" if column != "stage" else "left")
    local_stages = {stage.name: stage.seconds for stage in local.stages}
    for stage in docker.stages:
        other = local_stages.get(stage.name)
        ratio = f"{stage.seconds / other:.2f}" if other else "-"
        table.add_row(stage.name, f"{stage.seconds:.2f}", f"{other or 0:.2f}", ratio)
    total_docker, total_local = _elapsed(docker), _elapsed(local)
    table.add_row(
        "whole run",
        f"{total_docker:.1f}",
        f"{total_local:.1f}",
        f"{total_docker / total_local:.2f}",
    )
    p95_docker, p95_local = _load(docker).p95_ms, _load(local).p95_ms
    table.add_row(
        "load p95 ms", f"{p95_docker:g}", f"{p95_local:g}", f"{p95_docker / max(p95_local, 1):.2f}"
    )
    table.add_row(
        "app peak MiB", *(str(r.load and r.load.peak_memory_mb) for r in (docker, local)), "-"
    )
    Console().print(table)


if __name__ == "__main__":
    main()
