"""Prometheus metrics: API latency measured here, the rest read from the database at scrape.

Workers run on other hosts and come and go; the database is the one place that knows every
grading, so queue depth, outcomes and durations are collected from it on each scrape.
"""

import time
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime, timedelta

from fastapi import Request, Response
from prometheus_client import CollectorRegistry, Histogram
from prometheus_client.core import GaugeMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import func, select

from assay.server.db import session_scope
from assay.server.gradings.models import AttemptStatus, Grading
from assay.server.submissions.models import Status, Submission

DURATION_BUCKETS = (5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1800.0, float("inf"))
STAGE_BUCKETS = (0.5, 1.0, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, float("inf"))
RECENT = timedelta(days=1)


def _histogram(
    name: str, doc: str, buckets: tuple[float, ...], samples: dict[str, list[float]], label: str
) -> HistogramMetricFamily:
    family = HistogramMetricFamily(name, doc, labels=[label])
    for key, values in samples.items():
        counts = [(str(bound), float(sum(value <= bound for value in values))) for bound in buckets]
        family.add_metric([key], counts, sum_value=sum(values))
    return family


class DatabaseCollector(Collector):
    def __init__(self, database: str) -> None:
        self.database = database

    def collect(self) -> Iterator[Metric]:
        since = datetime.now(UTC) - RECENT
        with session_scope(self.database) as session:
            queued = session.scalar(select(func.count()).where(Submission.status == Status.queued))
            running = session.scalar(
                select(func.count()).where(Grading.status == AttemptStatus.running)
            )
            outcomes = dict(
                session.execute(select(Grading.status, func.count()).group_by(Grading.status)).all()
            )
            recent = list(
                session.scalars(
                    select(Grading).where(
                        Grading.finished_at > since, Grading.status == AttemptStatus.graded
                    )
                )
            )
        depth = GaugeMetricFamily("assay_queue_depth", "Submissions waiting for a worker")
        depth.add_metric([], float(queued or 0))
        yield depth
        busy = GaugeMetricFamily("assay_gradings_running", "Gradings running now")
        busy.add_metric([], float(running or 0))
        yield busy
        total = GaugeMetricFamily(
            "assay_gradings", "Grading attempts by outcome, ever", labels=["outcome"]
        )
        for status in AttemptStatus:
            total.add_metric([status.value], float(outcomes.get(status, 0)))
        yield total
        durations = {
            "graded": [
                (attempt.finished_at - attempt.started_at).total_seconds()
                for attempt in recent
                if attempt.finished_at is not None
            ]
        }
        yield _histogram(
            "assay_grading_seconds",
            "Grading wall time, last day",
            DURATION_BUCKETS,
            durations,
            "outcome",
        )
        stages: dict[str, list[float]] = {}
        for attempt in recent:
            for stage in attempt.stages:
                stages.setdefault(stage["name"], []).append(float(stage.get("seconds", 0.0)))
        yield _histogram(
            "assay_stage_seconds", "Stage wall time, last day", STAGE_BUCKETS, stages, "stage"
        )


def route_of(request: Request) -> str:
    """The route's template with its full prefix (``/api/v1/submissions/{submission_id}``), so
    that one label stands for every id; routers' own paths leave their prefixes out."""
    route = request.scope.get("route")
    template = getattr(route, "path", None)
    if template is None:
        return "unmatched"
    path: str = request.scope["path"]
    try:
        filled = template.format(**request.scope.get("path_params", {}))
    except (KeyError, IndexError, ValueError):
        return str(template)
    return path.removesuffix(filled) + template if path.endswith(filled) else str(template)


class Metrics:
    """One registry per app: the request histogram and the database collector."""

    def __init__(self, database: str) -> None:
        self.registry = CollectorRegistry()
        self.latency = Histogram(
            "assay_api_request_seconds",
            "API latency by route",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.registry.register(DatabaseCollector(database))

    async def measure(
        self, request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        started = time.perf_counter()
        response = await call_next(request)
        self.latency.labels(request.method, route_of(request), str(response.status_code)).observe(
            time.perf_counter() - started
        )
        return response
