"""The Celery application that runs gradings: reliability first.

A task is acknowledged only when it finished (``acks_late``), handed back when its worker
process dies (``task_reject_on_worker_lost``), and taken one at a time (prefetch 1). Time
limits sit above the sandbox's deadlines, and Redis's visibility timeout above those, so a
long grading is never delivered twice while it runs. Each worker also sweeps: it sends again
what a dead worker or a missing broker lost (``gradings.runner.sweep``).
"""

import logging
import threading
from datetime import timedelta
from typing import Any

from celery import Celery
from celery.signals import worker_ready, worker_shutdown

from assay.config import Settings, get_settings

log = logging.getLogger(__name__)
GRADING_QUEUE = "gradings"
PULLS_QUEUE = "pulls"  # fetching pull-request commits and reporting back: light, outbound
PULLS_STALLED = timedelta(minutes=15)


def configure(app: Celery, settings: Settings) -> None:
    """Point the app at the settings' broker, with the reliability settings above."""
    hard = settings.grading_time_limit_s
    app.conf.update(
        broker_url=settings.broker_url,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        worker_concurrency=settings.worker_concurrency,
        task_soft_time_limit=hard - 60,
        task_time_limit=hard,
        broker_transport_options={"visibility_timeout": hard + 600},
        broker_connection_retry_on_startup=True,
        broker_connection_timeout=3,
        task_default_queue=GRADING_QUEUE,
        task_routes={"assay.pulls.*": {"queue": PULLS_QUEUE}},
        task_ignore_result=True,
        worker_hijack_root_logger=False,
        worker_send_task_events=False,
    )


celery = Celery("assay", include=["assay.server.gradings.tasks", "assay.server.pulls.tasks"])
configure(celery, get_settings())
_stop_sweeping = threading.Event()


def _sweep_forever(settings: Settings) -> None:
    from assay.server.gradings import runner, tasks  # noqa: PLC0415 - the tasks import this app
    from assay.server.pulls import runner as pulls  # noqa: PLC0415
    from assay.server.pulls import tasks as pull_tasks  # noqa: PLC0415

    while not _stop_sweeping.wait(settings.sweep_every_s):
        try:
            sent = runner.sweep(
                settings,
                lambda submission_id: tasks.dispatch(submission_id, settings),
                redispatch_after=timedelta(seconds=settings.redispatch_after_s),
            )
            sent += pulls.sweep(
                settings,
                fetch_again=pull_tasks.send_fetch,
                report_again=pull_tasks.send_report,
                older_than=PULLS_STALLED,
            )
        except Exception:
            log.exception("sweep failed; trying again in %s s", settings.sweep_every_s)
            continue
        if sent:
            log.info("sweep sent %d submissions again", sent)


@worker_ready.connect
def _start_sweeping(**_: Any) -> None:
    thread = threading.Thread(
        target=_sweep_forever, args=(get_settings(),), name="assay sweep", daemon=True
    )
    thread.start()


@worker_shutdown.connect
def _stop(**_: Any) -> None:
    _stop_sweeping.set()
