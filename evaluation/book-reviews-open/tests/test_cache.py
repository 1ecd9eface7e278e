"""Cache-aside on the book list, observed from outside through the app's Redis database.

Nothing here knows the service's key names or value format: the tests watch the database the
service was pointed at, as the brief says they will.
"""

import pytest
from binding import LIST_BOOKS


def keyspace_hits(redis_client) -> int:
    return int(redis_client.info("stats")["keyspace_hits"])


def read_first_page(bound) -> list:
    return bound.list_items(bound.first_page(LIST_BOOKS), LIST_BOOKS)


@pytest.mark.assay(category="cache", weight=2)
def test_reading_the_book_list_fills_the_cache(bound, redis_client):
    """After the cache is emptied, one read of the book list writes at least one key to Redis."""
    bound.create_book()
    redis_client.flushdb()
    read_first_page(bound)
    assert redis_client.dbsize() >= 1, "reading the book list stored it in Redis"


@pytest.mark.assay(category="cache", weight=2)
def test_a_repeated_read_is_served_from_the_cache(bound, redis_client):
    """A second identical read of the book list finds its key in Redis and answers the same."""
    bound.create_book()
    first = read_first_page(bound)
    hits = keyspace_hits(redis_client)
    second = read_first_page(bound)
    assert keyspace_hits(redis_client) > hits, "the second read hit a Redis key"
    assert [bound.book_id(item) for item in second] == [bound.book_id(item) for item in first]


@pytest.mark.assay(category="cache", weight=2)
def test_a_cache_miss_reads_the_database_and_fills_the_cache_again(bound, redis_client):
    """After FLUSHDB the book list answers the same books from the database and is cached again."""
    book = bound.create_book()
    warm = bound.all_items(LIST_BOOKS)
    redis_client.flushdb()
    cold = bound.all_items(LIST_BOOKS)
    assert [bound.book_id(item) for item in cold] == [bound.book_id(item) for item in warm]
    assert bound.book_id(book) in [bound.book_id(item) for item in cold]
    assert redis_client.dbsize() >= 1, "the miss filled the cache again"


@pytest.mark.assay(category="cache", weight=3)
def test_a_new_book_is_not_hidden_by_the_cached_list(bound, redis_client):
    """A book added after the list was cached shows in the very next read of the list."""
    for _ in range(2):
        bound.create_book()
        redis_client.flushdb()
        bound.all_items(LIST_BOOKS)
        assert redis_client.dbsize() >= 1, "reading the book list cached it"
        book_id = bound.book_id(bound.create_book())
        assert bound.find_book(book_id) is not None, f"book {book_id} is listed at once"


@pytest.mark.assay(category="cache", weight=1)
def test_cached_entries_expire(bound, redis_client):
    """Keys written by reading the book list carry a time to live."""
    bound.create_book()
    redis_client.flushdb()
    read_first_page(bound)
    ttls = [redis_client.ttl(key) for key in redis_client.scan_iter(count=100)]
    assert ttls, "reading the book list stored it in Redis"
    assert any(ttl > 0 for ttl in ttls), f"TTLs of the keys: {ttls}"
