"""The demo data set: users, who follows whom, posts and comments, always the same rows.

The generator is driven by one fixed seed, so every environment (a laptop, CI, the
grader) holds the same data and the same feed answers. `ensure_seeded` fills an empty
database once, under an advisory lock, and does nothing when users already exist.

Do not change the seed or the sizes: the graders' expectations are built on this data.
"""

import io
import logging
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, Engine, text

logger = logging.getLogger(__name__)

SEED = 20240611
EPOCH = datetime(2024, 1, 1, tzinfo=UTC)
YEAR_SECONDS = 366 * 24 * 3600
ADVISORY_LOCK = 7_310_001

FIRST_NAMES = (
    "ada", "amara", "ben", "chen", "dario", "elif", "emil", "farah", "hana", "ines",
    "ivan", "jonas", "kaito", "lea", "luca", "maya", "mehmet", "nadia", "noor", "olga",
    "omar", "priya", "rafael", "sara", "sofia", "tariq", "tomas", "yara", "yusuf", "zoe",
)  # fmt: skip
SURNAMES = (
    "Okafor", "Lindqvist", "García", "Tanaka", "Novák", "Haddad", "Müller", "Reyes",
    "Kowalski", "Nguyễn", "Dubois", "Rossi", "Öztürk", "Silva", "Ivanova", "O'Brien",
    "Andersen", "Mbeki", "Sato", "Łukasiewicz",
)  # fmt: skip
WORDS = (
    "the", "a", "of", "and", "to", "in", "is", "it", "for", "on", "with", "this",
    "today", "finally", "coffee", "deploy", "release", "weekend", "garden", "train",
    "river", "café", "naïve", "über", "Zürich", "東京", "🙂", "🚀", "bug", "fix",
    "postgres", "index", "cache", "latency", "queue", "shipping", "morning", "late",
    "night", "reading", "book", "review", "music", "concert", "walk", "dog", "cat",
    "rain", "sun", "snow", "mountain", "city", "market", "bread", "tea", "lunch",
    "meeting", "standup", "sprint", "retro", "design", "draft", "launch", "idea",
    "question", "answer", "thanks", "great", "small", "big", "quiet", "busy",
    "“quoted”", "don't", "can't", "#python", "#sql", "@team", "-", "&", "<b>", "100%",
)  # fmt: skip


@dataclass(frozen=True)
class Sizes:
    """How many rows of each kind to generate."""

    users: int = 2_000
    posts: int = 100_000
    comments: int = 200_000
    min_follows: int = 5
    max_follows: int = 80
    loners: float = 0.02  # share of users who follow nobody


def ensure_seeded(engine: Engine, sizes: Sizes = Sizes()) -> bool:
    """Seed an empty database; return whether rows were written."""
    with engine.begin() as connection:
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK})
        if connection.execute(text("SELECT EXISTS (SELECT 1 FROM users)")).scalar():
            return False
        started = time.monotonic()
        seed(connection, sizes)
    logger.info("seeded the demo data in %.1fs", time.monotonic() - started)
    return True


def seed(connection: Connection, sizes: Sizes = Sizes()) -> None:
    """Write the whole data set through COPY, then refresh the planner's statistics."""
    rng = random.Random(SEED)  # noqa: S311 - demo data, not secrets
    user_rows = list(_users(rng, sizes))
    follow_rows = list(_follows(rng, sizes))
    post_rows = list(_posts(rng, sizes))
    post_times = [row[3] for row in post_rows]
    comment_rows = list(_comments(rng, sizes, post_times))
    _copy(connection, "users (id, username, display_name, created_at)", user_rows)
    _copy(connection, "follows (follower_id, followee_id, created_at)", follow_rows)
    _copy(connection, "posts (id, author_id, body, created_at)", post_rows)
    _copy(connection, "comments (id, post_id, author_id, body, created_at)", comment_rows)
    for table in ("users", "posts", "comments"):
        connection.execute(
            text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table}")  # noqa: S608 - fixed table names
        )
    connection.execute(text("ANALYZE users, follows, posts, comments"))


Row = tuple[object, ...]


def _skewed(rng: random.Random, count: int, power: float) -> int:
    """Pick an id in 1..count, low ids more often: some accounts are popular."""
    return int(count * rng.random() ** power) + 1


def _sentence(rng: random.Random, low: int, high: int) -> str:
    body = " ".join(rng.choices(WORDS, k=rng.randint(low, high)))
    return body[0].upper() + body[1:]


def _users(rng: random.Random, sizes: Sizes) -> Iterator[Row]:
    for user_id in range(1, sizes.users + 1):
        first = rng.choice(FIRST_NAMES)
        display = f"{first.capitalize()} {rng.choice(SURNAMES)}"
        joined = EPOCH - timedelta(seconds=rng.randrange(2 * YEAR_SECONDS))
        yield user_id, f"{first}{user_id}", display, joined


def _follows(rng: random.Random, sizes: Sizes) -> Iterator[Row]:
    for follower in range(1, sizes.users + 1):
        if rng.random() < sizes.loners:
            continue
        wanted = rng.randint(sizes.min_follows, min(sizes.max_follows, sizes.users - 1))
        followees: set[int] = set()
        while len(followees) < wanted:
            followee = _skewed(rng, sizes.users, 1.6)
            if followee != follower:
                followees.add(followee)
        since = EPOCH - timedelta(seconds=rng.randrange(YEAR_SECONDS))
        for followee in sorted(followees):
            yield follower, followee, since


def _posts(rng: random.Random, sizes: Sizes) -> Iterator[Row]:
    for post_id in range(1, sizes.posts + 1):
        author = rng.randrange(sizes.users) + 1
        created = EPOCH + timedelta(seconds=rng.randrange(YEAR_SECONDS))
        yield post_id, author, _sentence(rng, 4, 30), created


def _comments(rng: random.Random, sizes: Sizes, post_times: list[datetime]) -> Iterator[Row]:
    for comment_id in range(1, sizes.comments + 1):
        # Most comments land on a minority of posts, so counts range from 0 to dozens.
        post_id = (
            _skewed(rng, sizes.posts, 1.3) if rng.random() < 0.5 else rng.randrange(sizes.posts) + 1
        )
        author = _skewed(rng, sizes.users, 1.2)
        created = post_times[post_id - 1] + timedelta(seconds=rng.randrange(60, 14 * 86400))
        yield comment_id, post_id, author, _sentence(rng, 1, 18), created


def _copy(connection: Connection, target: str, rows: list[Row]) -> None:
    """Stream rows into a table with COPY (text format; the generated text has no tabs)."""
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join(_field(value) for value in row))
        buffer.write("\n")
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    with cursor.copy(f"COPY {target} FROM STDIN") as copy:
        copy.write(buffer.getvalue())
    cursor.close()


def _field(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)
