"""Cache-aside on GET /books, observed from outside through the app's Redis database.

The requests go through the binding, so these checks hold for a service that spells its
paths, envelope or status codes differently: caching is measured here, the exact contract in
the functionality and validation tests.
"""

import pytest
from binding import LIST_BOOKS

MAX_TTL_SECONDS = 300


def keyspace_hits(redis_client):
    return int(redis_client.info("stats")["keyspace_hits"])


def list_books(bound, **params):
    """One GET of the book list, with the given paging (the service's defaults without)."""
    return bound.list_items(bound.build(LIST_BOOKS, params=params), LIST_BOOKS)


def ids(bound, items):
    return [bound.book_id(item) for item in items]


def aggregates(bound, book):
    return bound.value(book, "review_count"), bound.value(book, "average_rating")


@pytest.mark.assay(category="cache", weight=2)
def test_list_books_fills_the_cache(bound, redis_client):
    """After the cache is emptied, one GET /books writes at least one key to Redis."""
    bound.create_book()
    redis_client.flushdb()
    list_books(bound)
    assert redis_client.dbsize() >= 1, "GET /books stored its result in Redis"


@pytest.mark.assay(category="cache", weight=2)
def test_repeated_list_is_served_from_cache(bound, redis_client):
    """A second identical GET /books reads Redis and finds its key (keyspace_hits grows)."""
    bound.create_book()
    first = list_books(bound)
    hits = keyspace_hits(redis_client)
    second = list_books(bound)
    assert keyspace_hits(redis_client) > hits, "the second GET /books hit a Redis key"
    assert second == first


@pytest.mark.assay(category="cache", weight=2)
def test_list_after_cache_flush_reads_the_database_and_refills(bound, redis_client):
    """After FLUSHDB the next GET /books still returns correct data and fills Redis again."""
    book = bound.create_book()
    review = bound.create_review(bound.book_id(book))
    warm = bound.all_items(LIST_BOOKS)
    redis_client.flushdb()
    cold = bound.all_items(LIST_BOOKS)
    assert ids(bound, cold) == ids(bound, warm)
    listed = next((item for item in cold if bound.book_id(item) == bound.book_id(book)), None)
    assert listed is not None, "the book is listed after the cache was emptied"
    assert bound.value(listed, "title") == bound.value(book, "title")
    assert aggregates(bound, listed) == (1, bound.value(review, "rating"))
    assert redis_client.dbsize() >= 1, "the miss filled the cache again"


@pytest.mark.assay(category="cache", weight=2)
def test_created_book_is_listed_at_once(bound):
    """A book created after GET /books was cached shows up in the very next GET /books."""
    bound.create_book()
    before = len(bound.all_items(LIST_BOOKS))
    book_id = bound.book_id(bound.create_book())
    after = bound.all_items(LIST_BOOKS)
    assert len(after) == before + 1
    assert book_id in ids(bound, after), "the cached list was invalidated"


@pytest.mark.assay(category="cache", weight=2)
def test_new_review_updates_the_cached_aggregates(bound):
    """A review posted after GET /books was cached changes review_count and average_rating."""
    book_id = bound.book_id(bound.create_book())
    bound.create_review(book_id, rating=2)
    cached = bound.find_book(book_id)
    assert cached is not None
    assert aggregates(bound, cached) == (1, 2)
    bound.create_review(book_id, rating=5)
    updated = bound.find_book(book_id)
    assert updated is not None
    assert aggregates(bound, updated) == (2, 3.5)


@pytest.mark.assay(category="cache", weight=1, visible=False)
def test_a_write_invalidates_every_cached_page(bound):
    """After POST /books, pages cached with other paging values are fresh as well."""
    bound.create_book()
    default_before = bound.send(bound.build(LIST_BOOKS)).json()
    bound.all_items(LIST_BOOKS)
    book_id = bound.book_id(bound.create_book())
    assert book_id in ids(bound, bound.all_items(LIST_BOOKS)), "the page holding it is fresh"
    default_after = bound.send(bound.build(LIST_BOOKS)).json()
    if isinstance(default_before, dict) and isinstance(default_before.get("total"), int):
        assert default_after["total"] == default_before["total"] + 1, "the default page's total"


@pytest.mark.assay(category="cache", weight=1)
def test_cached_pages_expire(bound, redis_client):
    """Keys written by GET /books carry a TTL of at most 300 seconds."""
    bound.create_book()
    redis_client.flushdb()
    list_books(bound)
    ttls = [redis_client.ttl(key) for key in redis_client.scan_iter(count=100)]
    assert ttls, "GET /books stored its result in Redis"
    assert any(0 < ttl <= MAX_TTL_SECONDS for ttl in ttls), f"TTLs of the keys: {ttls}"
