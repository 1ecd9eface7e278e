"""The book list through Redis: misses fill the cache, hits skip the database, writes invalidate."""

import time

import redis
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.config import Settings
from app.main import create_app
from app.models import Book
from tests.builders import BOOKS, closed_port, create_book, create_review, reviews_of


def insert_behind_the_api(session: Session, title: str) -> None:
    """Add a book without going through the service, so the cache is not told."""
    session.add(Book(title=title, author="Nobody"))
    session.commit()


def titles(client: TestClient) -> list[str]:
    return [book["title"] for book in client.get(BOOKS).json()["items"]]


def test_miss_reads_the_database_and_fills_the_cache(
    client: TestClient, redis_client: redis.Redis
) -> None:
    create_book(client, title="Beloved")
    redis_client.flushdb()

    assert titles(client) == ["Beloved"]

    pages = list(redis_client.scan_iter("books:list:v*"))
    assert len(pages) == 1
    assert 0 < redis_client.ttl(pages[0]) <= 60


def test_hit_is_served_without_the_database(
    client: TestClient, session: Session, redis_client: redis.Redis
) -> None:
    create_book(client, title="Beloved")
    titles(client)
    insert_behind_the_api(session, "Jazz")

    assert titles(client) == ["Beloved"], "the second read came from the cache"

    redis_client.flushdb()
    assert titles(client) == ["Beloved", "Jazz"], "after a flush the miss reads the database"


def test_creating_a_book_invalidates_every_page(client: TestClient) -> None:
    create_book(client, title="Beloved")
    client.get(BOOKS)
    client.get(BOOKS, params={"page": 2, "size": 1})

    create_book(client, title="Jazz")

    assert titles(client) == ["Beloved", "Jazz"]
    page = client.get(BOOKS, params={"page": 2, "size": 1}).json()
    assert [book["title"] for book in page["items"]] == ["Jazz"]


def test_service_answers_from_the_database_when_redis_is_down(settings: Settings) -> None:
    unreachable = settings.model_copy(update={"redis_url": f"redis://127.0.0.1:{closed_port()}/0"})
    started = time.perf_counter()

    with TestClient(create_app(unreachable)) as client:
        book_id = create_book(client, title="Beloved")["id"]
        create_review(client, book_id, rating=5)
        books = client.get(BOOKS).json()["items"]
        reviews = client.get(reviews_of(book_id)).json()["items"]

    assert [book["title"] for book in books] == ["Beloved"]
    assert [review["rating"] for review in reviews] == [5]
    assert time.perf_counter() - started < 2
