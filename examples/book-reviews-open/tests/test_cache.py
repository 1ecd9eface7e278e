import logging
from typing import Any

import pytest
import redis
from pydantic import BaseModel

from app.cache import ListCache, connect
from tests.builders import closed_port


class Item(BaseModel):
    name: str


class Loader:
    """Stands in for the database: counts calls and returns a fixed value."""

    def __init__(self, name: str = "fresh") -> None:
        self.name = name
        self.calls = 0

    def __call__(self) -> Item:
        self.calls += 1
        return Item(name=self.name)


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class WriteRefusingRedis(redis.Redis):
    """A Redis client whose writes fail while its reads work."""

    def set(self, *args: Any, **kwargs: Any) -> Any:
        raise redis.ConnectionError("write refused")


def make_cache(client: redis.Redis, clock: Clock | None = None) -> ListCache:
    return ListCache(
        client, namespace="test", ttl_seconds=30, backoff_seconds=5.0, clock=clock or Clock()
    )


@pytest.fixture
def cache(redis_client: redis.Redis) -> ListCache:
    return make_cache(redis_client)


@pytest.fixture
def down() -> redis.Redis:
    return connect(f"redis://127.0.0.1:{closed_port()}/0", timeout_seconds=0.2)


def test_miss_loads_and_stores_with_ttl(cache: ListCache, redis_client: redis.Redis) -> None:
    loader = Loader()

    assert cache.get_or_load("page=1", Item, loader) == Item(name="fresh")

    assert loader.calls == 1
    assert redis_client.get("test:v0:page=1") == '{"name":"fresh"}'
    assert 0 < redis_client.ttl("test:v0:page=1") <= 30


def test_hit_skips_the_loader(cache: ListCache) -> None:
    cache.get_or_load("page=1", Item, Loader("cached"))
    loader = Loader("database")

    assert cache.get_or_load("page=1", Item, loader) == Item(name="cached")
    assert loader.calls == 0


def test_params_are_cached_apart(cache: ListCache) -> None:
    cache.get_or_load("page=1", Item, Loader("one"))

    assert cache.get_or_load("page=2", Item, Loader("two")) == Item(name="two")


def test_invalidate_drops_every_page(cache: ListCache) -> None:
    cache.get_or_load("page=1", Item, Loader("old"))
    cache.get_or_load("page=2", Item, Loader("old"))

    cache.invalidate()

    assert cache.get_or_load("page=1", Item, Loader("new")) == Item(name="new")
    assert cache.get_or_load("page=2", Item, Loader("new")) == Item(name="new")


def test_unavailable_redis_falls_back_to_the_loader(
    down: redis.Redis, caplog: pytest.LogCaptureFixture
) -> None:
    cache = make_cache(down)
    loader = Loader()

    with caplog.at_level(logging.WARNING, logger="app.cache"):
        assert cache.get_or_load("page=1", Item, loader) == Item(name="fresh")
        cache.invalidate()

    assert loader.calls == 1
    assert [record.message.split(",")[0] for record in caplog.records] == [
        "cache read failed",
        "cache invalidate failed",
    ]


def test_reads_skip_redis_while_backing_off(
    down: redis.Redis, caplog: pytest.LogCaptureFixture
) -> None:
    clock = Clock()
    cache = make_cache(down, clock)

    with caplog.at_level(logging.WARNING, logger="app.cache"):
        cache.get_or_load("page=1", Item, Loader())
        clock.now += 4.9
        cache.get_or_load("page=1", Item, Loader())
        clock.now += 0.2
        cache.get_or_load("page=1", Item, Loader())

    assert len(caplog.records) == 2, "the read inside the back-off window left Redis alone"


def test_failed_write_still_returns_the_loaded_page(
    settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    client = WriteRefusingRedis.from_url(settings.redis_url, decode_responses=True)
    cache = make_cache(client)

    with caplog.at_level(logging.WARNING, logger="app.cache"):
        page = cache.get_or_load("page=1", Item, Loader())

    assert page == Item(name="fresh")
    assert "cache write failed" in caplog.text
