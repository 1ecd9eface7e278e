"""How the service does its work, observed from outside: indexes, cache, pool, latency.

Timing thresholds are generous (several times what a fixed service needs on the
grader) so they separate "fixed" from "not fixed", not fast from faster.
"""

import statistics
import time

import pytest
from conftest import APPLICATION_NAME

WARM_MEDIAN_MS = 50
COLD_MEDIAN_MS = 150
MAX_TTL_SECONDS = 3600
# A backend reports its table scans within about ten seconds of going idle (PostgreSQL 15).
STATS_DELAY_SECONDS = 11
POOLED_REQUESTS = 10

SEQUENTIAL_SCANS_SQL = "SELECT seq_scan FROM pg_stat_user_tables WHERE relid = to_regclass(%s)"
SESSIONS_SQL = "SELECT sessions FROM pg_stat_database WHERE datname = current_database()"

LEADING_COLUMNS_SQL = """
SELECT a.attname
FROM pg_index i
JOIN pg_class t ON t.oid = i.indrelid
JOIN pg_namespace n ON n.oid = t.relnamespace
JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = i.indkey[0]
WHERE t.relname = %s AND n.nspname = current_schema() AND i.indisvalid
"""


def keyspace_hits(redis_client):
    return int(redis_client.info("stats")["keyspace_hits"])


def leading_columns(truth, table):
    return {row[0] for row in truth.rows(LEADING_COLUMNS_SQL, table)}


@pytest.mark.assay(category="efficiency", weight=2)
def test_feeds_find_posts_without_scanning_them(chirp, truth, redis_client, rng):
    """An index on posts leads with author_id, or else uncached feeds never scan posts (a feed
    kept another way, such as a denormalised timeline, needs no such index)."""
    leading = leading_columns(truth, "posts")
    if "author_id" in leading:
        return
    before = truth.value(SEQUENTIAL_SCANS_SQL, "posts")
    for user_id in rng.sample(truth.active_users(), 3):
        redis_client.flushdb()
        assert chirp.feed(user_id).status_code == 200
    time.sleep(STATS_DELAY_SECONDS)
    scans = truth.value(SEQUENTIAL_SCANS_SQL, "posts") - before
    assert scans == 0, (
        f"no index on posts leads with author_id (they lead with {sorted(leading)}), "
        f"and 3 uncached feeds scanned posts {scans} times"
    )


@pytest.mark.assay(category="efficiency", weight=2)
def test_comments_are_indexed_by_post(truth):
    """An index on comments leads with post_id (counts and newest comments per post)."""
    leading = leading_columns(truth, "comments")
    assert "post_id" in leading, f"indexes on comments lead with {sorted(leading)}"


@pytest.mark.assay(category="efficiency", weight=2)
def test_a_feed_read_fills_the_cache(chirp, truth, redis_client, rng):
    """After FLUSHDB, one GET /feed writes at least one key to the app's Redis database."""
    user_id = rng.choice(truth.active_users())
    redis_client.flushdb()
    assert chirp.feed(user_id).status_code == 200
    assert redis_client.dbsize() >= 1, "GET /feed stored nothing in Redis"


@pytest.mark.assay(category="efficiency", weight=2)
def test_a_repeated_feed_read_is_served_from_the_cache(chirp, truth, redis_client, rng):
    """A second identical GET /feed reads a Redis key that exists (keyspace_hits grows)."""
    user_id = rng.choice(truth.active_users())
    first = chirp.feed(user_id)
    hits = keyspace_hits(redis_client)
    second = chirp.feed(user_id)
    assert keyspace_hits(redis_client) > hits, "the second GET /feed found no key in Redis"
    assert second.content == first.content


@pytest.mark.assay(category="efficiency", weight=1)
def test_cached_feeds_expire(chirp, truth, redis_client, rng):
    """Every key written by GET /feed carries a TTL (at most an hour): memory stays bounded."""
    user_id = rng.choice(truth.active_users())
    redis_client.flushdb()
    chirp.feed(user_id)
    ttls = {key.decode(errors="replace"): redis_client.ttl(key) for key in redis_client.scan_iter()}
    assert ttls, "GET /feed stored nothing in Redis"
    lasting = {key: ttl for key, ttl in ttls.items() if not 0 < ttl <= MAX_TTL_SECONDS}
    assert not lasting, f"keys without a TTL of at most an hour: {lasting}"


@pytest.mark.assay(category="efficiency", weight=2)
def test_a_cached_feed_answers_quickly(chirp, truth, rng):
    """Repeated GET /feed of one user: the median of 10 answers is under 50 ms."""
    user_id = rng.choice(truth.active_users())
    chirp.feed(user_id)
    timings = [chirp.timed_feed(user_id) for _ in range(10)]
    median = statistics.median(timings)
    assert median < WARM_MEDIAN_MS, f"median {median:.0f} ms over {sorted(map(round, timings))}"


@pytest.mark.assay(category="efficiency", weight=3)
def test_an_uncached_feed_answers_quickly(chirp, truth, redis_client, rng):
    """With Redis emptied before each, the median of 6 GET /feed is under 150 ms."""
    users = rng.sample(truth.active_users(minimum_follows=30), 6)
    chirp.feed(users[0])  # a first request may open connections
    timings = []
    for user_id in users:
        redis_client.flushdb()
        timings.append(chirp.timed_feed(user_id))
    median = statistics.median(timings)
    assert median < COLD_MEDIAN_MS, f"median {median:.0f} ms over {sorted(map(round, timings))}"


@pytest.mark.assay(category="efficiency", weight=1)
def test_database_connections_are_pooled(chirp, truth, redis_client, db, rng):
    """Requests reuse the service's connections: ten uncached feeds open (almost) no new
    database session, and a connection stays open between requests."""
    users = rng.sample(truth.active_users(), POOLED_REQUESTS + 2)
    for user_id in users[:2]:
        redis_client.flushdb()
        assert chirp.feed(user_id).status_code == 200
    before = truth.value(SESSIONS_SQL)
    for user_id in users[2:]:
        redis_client.flushdb()
        assert chirp.feed(user_id).status_code == 200
    time.sleep(0.5)  # a closed session is counted once its backend has exited
    opened = truth.value(SESSIONS_SQL) - before
    assert opened < POOLED_REQUESTS / 2, f"{opened} sessions opened for {POOLED_REQUESTS} requests"
    idle = truth.value(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
        "AND backend_type = 'client backend' AND pid <> pg_backend_pid() "
        "AND application_name <> %s",
        APPLICATION_NAME,
    )
    assert idle >= 1, "no connection of the service stays open between requests"
