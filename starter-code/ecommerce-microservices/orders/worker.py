"""The saga worker: `python -m orders.worker` (no port; it must keep running)."""

import signal
import time
from types import FrameType

running = True


def stop(_signum: int, _frame: FrameType | None) -> None:
    """Leave the loop on SIGTERM or SIGINT."""
    global running  # noqa: PLW0603  # TODO: replace with your worker's own state
    running = False


def main() -> None:
    """Run until stopped."""
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    while running:
        # TODO: consume order events (Redis Streams or Celery), take the simulated payment,
        #   confirm the order or release its stock and cancel it; publish the outcome.
        time.sleep(1)


if __name__ == "__main__":
    main()
