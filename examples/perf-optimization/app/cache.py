"""The feed cache on Redis: rendered feeds per user, dropped per user, failing open.

Keys, for a user `U`:

    feed:U:version           an integer; writes that change U's feed increment it
    feed:U:v<n>:limit=<L>    the JSON body of U's feed with that limit, under version n

A reader looks up the version, then the page under it. Invalidating U's feed is one
`INCR`, whatever limits are cached, and a reader that loaded rows before a write stores
them under the version it started with, which nobody reads once the write has bumped
it. Pages expire after `ttl_seconds` regardless.

Every Redis error is logged and swallowed: PostgreSQL is the source of truth, so a
cache that is down makes requests slower, never wrong or failed.
"""

import logging
import time
from collections.abc import Callable, Iterable

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

logger = logging.getLogger(__name__)


def connect(url: str, *, timeout_seconds: float) -> redis.Redis:
    """Open a client that gives up fast: short socket timeouts and no retries."""
    return redis.Redis.from_url(
        url,
        socket_connect_timeout=timeout_seconds,
        socket_timeout=timeout_seconds,
        retry=Retry(NoBackoff(), retries=0),
    )


class FeedCache:
    """Rendered feeds keyed by user and limit, invalidated per user."""

    def __init__(
        self,
        client: redis.Redis,
        *,
        ttl_seconds: int,
        backoff_seconds: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = client
        self._ttl_seconds = ttl_seconds
        self._backoff_seconds = backoff_seconds
        self._clock = clock
        self._skip_until = 0.0

    def get_or_render(self, user_id: int, limit: int, render: Callable[[], bytes]) -> bytes:
        """Return the cached feed body, or render it, store it and return it."""
        if self._backing_off():
            return render()
        try:
            version = self._client.get(_version_key(user_id)) or b"0"
            key = f"feed:{user_id}:v{version.decode()}:limit={limit}"
            cached = self._client.get(key)
        except redis.RedisError as error:
            self._failed("read", error)
            return render()
        if cached is not None:
            return bytes(cached)
        body = render()
        try:
            self._client.set(key, body, ex=self._ttl_seconds)
        except redis.RedisError as error:
            self._failed("write", error)
        return body

    def invalidate(self, user_ids: Iterable[int]) -> None:
        """Make the cached feeds of these users stale, in one round trip.

        Tried even while backing off: writes are rare, and a missed invalidation
        serves a stale feed until it expires.
        """
        keys = [_version_key(user_id) for user_id in set(user_ids)]
        if not keys:
            return
        try:
            with self._client.pipeline(transaction=False) as pipe:
                for key in keys:
                    pipe.incr(key)
                pipe.execute()
        except redis.RedisError as error:
            self._failed("invalidate", error)

    def _backing_off(self) -> bool:
        # After a failure, skip Redis for a while: a server that hangs instead of
        # refusing connections would otherwise cost every request its timeout.
        return self._clock() < self._skip_until

    def _failed(self, action: str, error: redis.RedisError) -> None:
        self._skip_until = self._clock() + self._backoff_seconds
        logger.warning("feed cache %s failed, using the database: %s", action, error)


def _version_key(user_id: int) -> str:
    return f"feed:{user_id}:version"
