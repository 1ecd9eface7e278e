"""Cache-aside storage on Redis that fails open.

`ListCache.get_or_load` reads the cache first; on a miss it calls the loader (the
database) and stores the result. Writers call `invalidate` once their transaction
has committed. Every Redis error is logged and swallowed: the database is the source
of truth, so an unavailable cache makes requests slower, never wrong or failed.
"""

import logging
import time
from collections.abc import Callable
from typing import TypeVar, cast

import redis
from pydantic import BaseModel
from redis.backoff import NoBackoff
from redis.retry import Retry

logger = logging.getLogger(__name__)

ModelT = TypeVar("ModelT", bound=BaseModel)


def connect(url: str, *, timeout_seconds: float) -> redis.Redis:
    """Open a client that gives up fast: short socket timeouts and no retries."""
    return redis.Redis.from_url(
        url,
        socket_connect_timeout=timeout_seconds,
        socket_timeout=timeout_seconds,
        retry=Retry(NoBackoff(), retries=0),
        decode_responses=True,
    )


class ListCache:
    """Cached pages of one list, all dropped at once by bumping a version number.

    Keys look like `<namespace>:v<version>:<params>`. Invalidation is a single `INCR`
    of `<namespace>:version` however many pages are cached. A reader that loaded
    rows before a write stores them under the version it started with, which nobody
    reads once the write has bumped it. Pages expire after `ttl_seconds` regardless.
    """

    def __init__(
        self,
        client: redis.Redis,
        *,
        namespace: str,
        ttl_seconds: int,
        backoff_seconds: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = client
        self._namespace = namespace
        self._ttl_seconds = ttl_seconds
        self._backoff_seconds = backoff_seconds
        self._clock = clock
        self._skip_until = 0.0

    def get_or_load(self, params: str, model: type[ModelT], load: Callable[[], ModelT]) -> ModelT:
        """Return the page cached for `params`, or load it and cache it."""
        if self._backing_off():
            return load()
        try:
            key = self._page_key(params)
            cached = cast(str | None, self._client.get(key))
        except redis.RedisError as error:
            self._failed("read", error)
            return load()
        if cached is not None:
            return model.model_validate_json(cached)
        page = load()
        try:
            self._client.set(key, page.model_dump_json(), ex=self._ttl_seconds)
        except redis.RedisError as error:
            self._failed("write", error)
        return page

    def invalidate(self) -> None:
        """Make every cached page stale.

        Tried even while backing off: writes are rare, and a missed invalidation
        serves stale pages until they expire.
        """
        try:
            self._client.incr(self._version_key)
        except redis.RedisError as error:
            self._failed("invalidate", error)

    @property
    def _version_key(self) -> str:
        return f"{self._namespace}:version"

    def _page_key(self, params: str) -> str:
        version = cast(str | None, self._client.get(self._version_key)) or "0"
        return f"{self._namespace}:v{version}:{params}"

    def _backing_off(self) -> bool:
        # After a failure, skip Redis for a while: a server that hangs instead of
        # refusing connections would otherwise cost every request its timeout.
        return self._clock() < self._skip_until

    def _failed(self, action: str, error: redis.RedisError) -> None:
        self._skip_until = self._clock() + self._backoff_seconds
        logger.warning("cache %s failed, using the database: %s", action, error)
