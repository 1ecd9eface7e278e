"""Stop a load test early when every request fails: measuring longer would change nothing.

Loaded beside the problem's locustfile (``locust -f LOCUSTFILE,load_guard.py``). Once the
warm-up is over and a few seconds measured (``ASSAY_LOAD_CHECK_S``), a run in which every
request so far failed is ended; the statistics written are those of the seconds measured.
"""

import os

import gevent
from locust import events
from locust.env import Environment

MIN_REQUESTS = 20
STOPPED = "[assay] every request failed: the load test stopped early"


@events.test_start.add_listener
def _watch_from_the_start(environment: Environment, **_: object) -> None:
    gevent.spawn(_stop_if_all_failed, environment)


def _stop_if_all_failed(environment: Environment) -> None:
    gevent.sleep(float(os.environ.get("ASSAY_LOAD_CHECK_S", "5")))
    total = environment.stats.total
    if total.num_requests >= MIN_REQUESTS and total.num_failures == total.num_requests:
        print(STOPPED, flush=True)
        if environment.runner is not None:
            environment.runner.quit()
