"""Order events on a Redis stream: what the worker consumes and others may follow."""

from dataclasses import dataclass

from redis import Redis

STREAM = "orders.events"
GROUP = "orders-saga"
# Old events are trimmed; the database, not the stream, is the record of an order.
MAX_EVENTS = 100_000


@dataclass(frozen=True)
class Event:
    """One entry of the stream."""

    id: str
    type: str
    order_id: str


class EventBus:
    """Publish order events, and read them as the saga's consumer group."""

    def __init__(self, redis: Redis) -> None:
        self._redis = redis

    def publish(self, event_type: str, *, order_id: str, user_id: int, status: str) -> None:
        """Append an event; sent only after the change it announces is committed."""
        fields = {"type": event_type, "order_id": order_id, "user_id": user_id, "status": status}
        self._redis.xadd(STREAM, fields, maxlen=MAX_EVENTS, approximate=True)  # type: ignore[arg-type]

    def ensure_group(self) -> None:
        """Create the consumer group, starting from the stream's beginning."""
        groups = self._redis.xinfo_groups(STREAM) if self._redis.exists(STREAM) else []
        if not any(group["name"] == GROUP for group in groups):  # type: ignore[union-attr]
            self._redis.xgroup_create(STREAM, GROUP, id="0", mkstream=True)

    def read(self, consumer: str, *, block_ms: int) -> list[Event]:
        """New events for this consumer; each must be acknowledged once handled."""
        batches = self._redis.xreadgroup(GROUP, consumer, {STREAM: ">"}, count=20, block=block_ms)
        return [
            Event(id=entry_id, type=fields["type"], order_id=fields["order_id"])
            for _stream, entries in batches or []  # type: ignore[union-attr]
            for entry_id, fields in entries
        ]

    def ack(self, event: Event) -> None:
        """Mark an event handled."""
        self._redis.xack(STREAM, GROUP, event.id)
