"""Cache-aside on GET /books, observed from outside through the app's Redis database."""

import pytest

MAX_TTL_SECONDS = 300


def keyspace_hits(redis_client):
    return int(redis_client.info("stats")["keyspace_hits"])


@pytest.mark.assay(category="cache", weight=2)
def test_list_books_fills_the_cache(api, redis_client):
    """After the cache is emptied, one GET /books writes at least one key to Redis."""
    api.create_book()
    redis_client.flushdb()
    api.list_books()
    assert redis_client.dbsize() >= 1, "GET /books stored its result in Redis"


@pytest.mark.assay(category="cache", weight=2)
def test_repeated_list_is_served_from_cache(api, redis_client):
    """A second identical GET /books reads Redis and finds its key (keyspace_hits grows)."""
    api.create_book()
    first = api.list_books(limit=7)
    hits = keyspace_hits(redis_client)
    second = api.list_books(limit=7)
    assert keyspace_hits(redis_client) > hits, "the second GET /books hit a Redis key"
    assert second == first


@pytest.mark.assay(category="cache", weight=2)
def test_list_after_cache_flush_reads_the_database_and_refills(api, redis_client):
    """After FLUSHDB the next GET /books still returns correct data and fills Redis again."""
    book = api.create_book()
    review = api.create_review(book["id"])
    warm = api.tail()
    redis_client.flushdb()
    cold = api.tail()
    assert [item["id"] for item in cold] == [item["id"] for item in warm]
    listed = next((item for item in cold if item["id"] == book["id"]), None)
    assert listed is not None, "the book is listed after the cache was emptied"
    assert listed["title"] == book["title"]
    assert (listed["review_count"], listed["average_rating"]) == (1, review["rating"])
    assert redis_client.dbsize() >= 1, "the miss filled the cache again"


@pytest.mark.assay(category="cache", weight=2)
def test_created_book_is_listed_at_once(api):
    """A book created after GET /books was cached shows up in the very next GET /books."""
    api.create_book()
    before = api.total_books()
    api.tail()
    book = api.create_book()
    assert api.total_books() == before + 1
    assert book["id"] in [item["id"] for item in api.tail()], "the cached list was invalidated"


@pytest.mark.assay(category="cache", weight=2)
def test_new_review_updates_the_cached_aggregates(api):
    """A review posted after GET /books was cached changes review_count and average_rating."""
    book_id = api.create_book()["id"]
    api.create_review(book_id, rating=2)
    cached = api.find_book(book_id)
    assert cached is not None
    assert (cached["review_count"], cached["average_rating"]) == (1, 2)
    api.create_review(book_id, rating=5)
    updated = api.find_book(book_id)
    assert updated is not None
    assert (updated["review_count"], updated["average_rating"]) == (2, 3.5)


@pytest.mark.assay(category="cache", weight=1, visible=False)
def test_a_write_invalidates_every_cached_page(api):
    """After POST /books, pages cached with other limit/offset values are fresh as well."""
    api.create_book()
    total = api.total_books()
    queries = [{"limit": 1}, {"limit": 3, "offset": total - 1}, {}]
    for params in queries:
        api.list_books(**params)
    book = api.create_book()
    pages = [api.list_books(**params) for params in queries]
    assert [page["total"] for page in pages] == [total + 1] * len(queries)
    assert book["id"] in [item["id"] for item in pages[1]["items"]]


@pytest.mark.assay(category="cache", weight=1)
def test_cached_pages_expire(api, redis_client):
    """Keys written by GET /books carry a TTL of at most 300 seconds."""
    api.create_book()
    redis_client.flushdb()
    api.list_books(limit=3)
    ttls = [redis_client.ttl(key) for key in redis_client.scan_iter(count=100)]
    assert ttls, "GET /books stored its result in Redis"
    assert any(0 < ttl <= MAX_TTL_SECONDS for ttl in ttls), f"TTLs of the keys: {ttls}"
