"""FeedCache on its own: versions, invalidation, and failing open with a back-off."""

import logging

import pytest
import redis

from app.cache import FeedCache, connect


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_render_runs_once_until_invalidated(redis_client: redis.Redis) -> None:
    cache = FeedCache(redis_client, ttl_seconds=60)
    renders: list[int] = []

    def render() -> bytes:
        renders.append(1)
        return b"body-%d" % len(renders)

    assert cache.get_or_render(7, 20, render) == b"body-1"
    assert cache.get_or_render(7, 20, render) == b"body-1"
    cache.invalidate([7, 7, 8])
    assert cache.get_or_render(7, 20, render) == b"body-2"
    assert redis_client.get("feed:7:version") == b"1"


def test_invalidating_nobody_sends_nothing(redis_client: redis.Redis) -> None:
    FeedCache(redis_client, ttl_seconds=60).invalidate([])

    assert redis_client.dbsize() == 0


def test_redis_down_falls_back_and_backs_off(caplog: pytest.LogCaptureFixture) -> None:
    clock = Clock()
    down = connect("redis://127.0.0.1:1/0", timeout_seconds=0.1)
    cache = FeedCache(down, ttl_seconds=60, backoff_seconds=5, clock=clock)

    with caplog.at_level(logging.WARNING):
        assert cache.get_or_render(1, 20, lambda: b"a") == b"a"
        assert cache.get_or_render(1, 20, lambda: b"b") == b"b"  # backing off: no Redis call
        cache.invalidate([1])

    messages = [record.getMessage() for record in caplog.records]
    assert [m.split(" failed")[0] for m in messages] == ["feed cache read", "feed cache invalidate"]


def test_a_failed_write_is_logged_and_the_body_still_returned(
    redis_client: redis.Redis, caplog: pytest.LogCaptureFixture
) -> None:
    class ReadOnly(redis.Redis):
        def set(self, *_args: object, **_kwargs: object) -> bool:  # type: ignore[override]
            raise redis.ConnectionError("gone")

    client = ReadOnly(connection_pool=redis_client.connection_pool)
    cache = FeedCache(client, ttl_seconds=60)

    with caplog.at_level(logging.WARNING):
        assert cache.get_or_render(3, 5, lambda: b"body") == b"body"

    assert "feed cache write failed" in caplog.text
