"""A circuit breaker per service: stop calling a service that keeps failing.

closed --N failures in a row--> open --reset time--> half-open --success--> closed
                                  ^------------------failure-----------'
"""

import time
from collections.abc import Callable


class CircuitBreaker:
    """Counts consecutive failures; while open, calls are refused without being tried."""

    def __init__(
        self, *, failures: int, reset_seconds: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._threshold = failures
        self._reset_seconds = reset_seconds
        self._clock = clock
        self._failures = 0
        self._opened_at: float | None = None
        self._trial_running = False

    @property
    def state(self) -> str:
        """`closed`, `open` or `half-open`."""
        if self._opened_at is None:
            return "closed"
        if self._clock() - self._opened_at >= self._reset_seconds:
            return "half-open"
        return "open"

    def allow(self) -> bool:
        """Whether a call may go out now; half-open lets one trial call through."""
        state = self.state
        if state == "closed":
            return True
        if state == "half-open" and not self._trial_running:
            self._trial_running = True
            return True
        return False

    def record_success(self) -> None:
        """The service answered: close."""
        self._failures = 0
        self._opened_at = None
        self._trial_running = False

    def record_failure(self) -> None:
        """The service did not answer: open after enough failures, or when a trial fails."""
        self._failures += 1
        if self._trial_running or self._failures >= self._threshold:
            self._opened_at = self._clock()
        self._trial_running = False
