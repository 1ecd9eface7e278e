"""The saga worker: `python -m orders.worker`.

Consumes `order.created` from the stream and settles each order; every few seconds it
also sweeps for orders whose event was lost and for stock still to be released.
"""

import logging
import signal
import socket
import time
from datetime import timedelta
from types import FrameType

from redis import Redis
from sqlalchemy.orm import Session, sessionmaker

from common.db import make_engine
from common.errors import UnavailableError
from orders import saga
from orders.config import Settings, get_settings
from orders.events import EventBus
from orders.inventory import Inventory, make_inventory

log = logging.getLogger("orders.worker")
SWEEP_EVERY_SECONDS = 2.0


class Worker:
    """One consumer of the saga's group."""

    def __init__(
        self, settings: Settings, *, inventory: Inventory, bus: EventBus, name: str
    ) -> None:
        self.factory: sessionmaker[Session] = sessionmaker(
            make_engine(settings.database_url, pool_size=2)
        )
        self.inventory = inventory
        self.bus = bus
        self.name = name
        self.stale_after = timedelta(seconds=settings.stale_after_seconds)
        self.running = True
        self._last_sweep = 0.0

    def step(self, *, block_ms: int = 1000) -> None:
        """Handle the events that arrive within `block_ms`, then sweep when one is due."""
        for event in self.bus.read(self.name, block_ms=block_ms):
            if event.type == "order.created":
                try:
                    saga.settle(self.factory, self.inventory, self.bus, event.order_id)
                except UnavailableError:
                    log.warning("order %s waits for the product service", event.order_id)
            # Acknowledged either way: an unsettled order stays pending and the sweep retries.
            self.bus.ack(event)
        if time.monotonic() - self._last_sweep >= SWEEP_EVERY_SECONDS:
            self._last_sweep = time.monotonic()
            saga.sweep(self.factory, self.inventory, self.bus, older_than=self.stale_after)

    def stop(self, _signum: int = 0, _frame: FrameType | None = None) -> None:
        """Finish the current step, then leave."""
        self.running = False


def main() -> None:
    """Run until SIGTERM or SIGINT."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    settings = get_settings()
    bus = EventBus(Redis.from_url(settings.redis_url, decode_responses=True))
    bus.ensure_group()
    inventory = make_inventory(settings.products_url, settings.products_timeout_seconds)
    worker = Worker(settings, inventory=inventory, bus=bus, name=socket.gethostname())
    signal.signal(signal.SIGTERM, worker.stop)
    signal.signal(signal.SIGINT, worker.stop)
    while worker.running:
        worker.step()


if __name__ == "__main__":  # pragma: no cover
    main()
