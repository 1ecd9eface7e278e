"""Locust, headless: warm up until every user has spawned, reset the statistics, then measure."""

import csv
import io
import math

from assay.grading.context import Run
from assay.grading.report import LoadFigures, LoadTest, StageStatus
from assay.sandbox.pod import Role

GUARD_AFTER_S = 3  # measured seconds after which a run where every request failed stops
STOPPED_EARLY = "every request failed: the load test stopped early"


def parse_stats(text: str) -> LoadFigures | None:
    """Read the ``Aggregated`` row of Locust's ``*_stats.csv``."""
    for row in csv.DictReader(io.StringIO(text)):
        if row.get("Name") == "Aggregated":
            requests = int(row["Request Count"])
            return LoadFigures(
                requests=requests,
                failures=int(row["Failure Count"]),
                rps=round(float(row["Requests/s"]), 2),
                p50_ms=_ms(row["50%"]),
                p95_ms=_ms(row["95%"]),
                p99_ms=_ms(row["99%"]),
            )
    return None


def _ms(value: str) -> float:
    number = float(value) if value not in ("", "N/A") else math.nan
    return 0.0 if math.isnan(number) else number


def measure(run: Run) -> tuple[LoadTest, str]:
    """Run Locust in the tester, alone on the host; the figures, and Locust's output as evidence."""
    spec = run.problem.spec.load
    prefix = run.scratch("load")
    argv = [
        "python",
        "-I",
        "-m",
        "locust",
        "-f",
        f"{run.pod.paths.evaluation / 'locustfile.py'},{run.toolkit('load_guard.py')}",
        "--headless",
        "--host",
        run.base_url,
        "--users",
        str(spec.users),
        "--spawn-rate",
        str(spec.spawn_rate),
        "--run-time",
        f"{spec.seconds}s",
        "--reset-stats",
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
        "--stop-timeout",
        "2",
    ]
    env = {**run.tester_env(), "ASSAY_LOAD_CHECK_S": str(spec.warmup_seconds + GUARD_AFTER_S)}
    with run.sandbox.load_window():
        result = run.pod.run(Role.tester, argv, env=env, timeout=run.problem.spec.deadlines.load)
    stats = run.pod.read_text(Role.tester, prefix.with_name("load_stats.csv"))
    load = LoadTest(
        users=spec.users,
        seconds=spec.seconds,
        warmup_seconds=spec.warmup_seconds,
        figures=parse_stats(stats) if stats else None,
        peak_memory_mb=run.pod.app_peak_memory_mb(),
    )
    return load, result.output


def load_test(run: Run) -> LoadTest:
    with run.stage("load") as stage:
        load, stage.log = measure(run)
        figures = load.figures
        if figures is None:
            stage.status = StageStatus.failed
            stage.summary = "Locust reported no statistics"
        else:
            stage.summary = (
                f"p50 {figures.p50_ms:g} ms, p95 {figures.p95_ms:g} ms, {figures.rps:.1f} req/s, "
                f"{figures.failures}/{figures.requests} failed, "
                f"peak memory {load.peak_memory_mb} MiB"
            )
            if figures.failure_rate > 0.01:
                stage.status = StageStatus.failed
            if STOPPED_EARLY in stage.log:
                stage.summary += f"; {STOPPED_EARLY}"
        run.report.load = load
        return load
