"""Books and reviews: shapes, status codes, ordering, pagination, schema."""

import re
from datetime import datetime

import psycopg
import pytest

BOOK_FIELDS = {
    "id",
    "title",
    "author",
    "published_year",
    "review_count",
    "average_rating",
    "created_at",
}
REVIEW_FIELDS = {"id", "book_id", "reviewer", "rating", "text", "created_at"}
PAGE_FIELDS = {"items", "total", "limit", "offset"}
TABLES = ("books", "reviews")
# The transaction that created a table (its catalog row's xmin), or None when there is none.
MADE_IN = "SELECT (SELECT xmin::text::bigint FROM pg_class WHERE oid = to_regclass(%s))"


def shows(body: dict, fields: set[str]) -> None:
    """The body has the fields the statement shows; it may have more, which nothing forbids."""
    assert isinstance(body, dict), f"expected a JSON object, got {body!r}"
    absent = fields - set(body)
    assert not absent, f"missing {sorted(absent)} in {sorted(body)}"


def assert_timestamp(value: object) -> None:
    assert isinstance(value, str), f"created_at should be an ISO 8601 string, got {value!r}"
    moment = datetime.fromisoformat(value)
    assert moment.tzinfo is not None, f"created_at should carry a time zone, got {value!r}"


def comparable(record: dict) -> dict:
    """Return a record with created_at as a datetime, so equal instants compare equal."""
    return {**record, "created_at": datetime.fromisoformat(record["created_at"])}


@pytest.mark.assay(category="functionality", weight=1)
def test_health_reports_ok(client):
    """GET /health answers 200 with {"status": "ok"}."""
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.assay(category="functionality", weight=1)
def test_openapi_documents_the_endpoints(client):
    """OpenAPI lists GET/POST /books and GET/POST /books/{id}/reviews, and /docs is served."""
    spec = client.get("/openapi.json")
    assert spec.status_code == 200
    paths = spec.json()["paths"]
    assert {"get", "post"} <= set(paths.get("/books", {})), "GET and POST /books are documented"
    review_paths = [path for path in paths if re.fullmatch(r"/books/\{[^}]+\}/reviews", path)]
    assert review_paths, "a /books/{id}/reviews path is documented"
    assert {"get", "post"} <= set(paths[review_paths[0]])
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert "text/html" in docs.headers["content-type"]


@pytest.mark.assay(category="functionality", weight=3)
def test_create_book_returns_201_with_the_stored_book(api):
    """POST /books answers 201 with the book: its id, fields, no reviews yet, created_at."""
    payload = api.book_payload()
    response = api.client.post("/books", json=payload)
    assert response.status_code == 201, response.text
    book = response.json()
    shows(book, BOOK_FIELDS)
    assert isinstance(book["id"], int)
    assert book["title"] == payload["title"]
    assert book["author"] == payload["author"]
    assert book["published_year"] == payload["published_year"]
    assert book["review_count"] == 0
    assert book["average_rating"] is None
    assert_timestamp(book["created_at"])


@pytest.mark.assay(category="functionality", weight=1)
def test_create_book_without_published_year(api):
    """published_year is optional: omitted or null, the book is stored with null."""
    payload = api.book_payload()
    del payload["published_year"]
    omitted = api.client.post("/books", json=payload)
    assert omitted.status_code == 201, omitted.text
    assert omitted.json()["published_year"] is None
    explicit = api.client.post("/books", json=api.book_payload(published_year=None))
    assert explicit.status_code == 201, explicit.text
    assert explicit.json()["published_year"] is None


@pytest.mark.assay(category="functionality", weight=1, visible=False)
def test_create_book_strips_surrounding_whitespace(api):
    """Leading and trailing whitespace of title and author is not stored."""
    title = api.title()
    book = api.create_book(title=f"  {title}\t", author="  Ada Reyes ")
    assert book["title"] == title
    assert book["author"] == "Ada Reyes"


@pytest.mark.assay(category="functionality", weight=2)
def test_list_books_shows_a_created_book(api):
    """GET /books returns a page whose items include a new book, as POST returned it."""
    created = api.create_book()
    page = api.list_books()
    shows(page, PAGE_FIELDS)
    listed = api.find_book(created["id"])
    assert listed is not None, "the new book is listed"
    assert comparable(listed) == comparable(created)


@pytest.mark.assay(category="functionality", weight=2)
def test_list_books_orders_by_id_ascending(api):
    """GET /books lists books by id ascending, so new books come last."""
    ids = [api.create_book()["id"] for _ in range(3)]
    assert ids == sorted(ids)
    tail = [book["id"] for book in api.tail(10)]
    assert tail == sorted(tail), "ids ascend within a page"
    assert tail[-3:] == ids, "the three newest books come last, in creation order"
    first = [book["id"] for book in api.list_books(limit=50)["items"]]
    assert first == sorted(first)


@pytest.mark.assay(category="functionality", weight=2)
def test_list_books_paginates_with_limit_and_offset(api):
    """limit and offset select a slice; total counts every book; defaults are 20 and 0."""
    first, second, third = (api.create_book()["id"] for _ in range(3))
    total = api.total_books()
    page = api.list_books(limit=2, offset=total - 3)
    assert (page["limit"], page["offset"], page["total"]) == (2, total - 3, total)
    assert [book["id"] for book in page["items"]] == [first, second]
    last = api.list_books(limit=2, offset=total - 1)
    assert [book["id"] for book in last["items"]] == [third]
    beyond = api.list_books(offset=total)
    assert beyond["items"] == []
    assert beyond["total"] == total
    default = api.list_books()
    assert (default["limit"], default["offset"]) == (20, 0)
    assert len(default["items"]) == min(20, total)


@pytest.mark.assay(category="functionality", weight=3)
def test_create_review_returns_201_with_the_stored_review(api):
    """POST /books/{id}/reviews answers 201 with the review and its book_id."""
    book = api.create_book()
    payload = api.review_payload()
    response = api.client.post(f"/books/{book['id']}/reviews", json=payload)
    assert response.status_code == 201, response.text
    review = response.json()
    shows(review, REVIEW_FIELDS)
    assert isinstance(review["id"], int)
    assert review["book_id"] == book["id"]
    assert review["reviewer"] == payload["reviewer"]
    assert review["rating"] == payload["rating"]
    assert review["text"] == payload["text"]
    assert_timestamp(review["created_at"])


@pytest.mark.assay(category="functionality", weight=2)
def test_list_reviews_returns_newest_first(api):
    """GET /books/{id}/reviews is empty for a new book, then lists reviews newest first."""
    book_id = api.create_book()["id"]
    empty = api.list_reviews(book_id)
    shows(empty, PAGE_FIELDS)
    assert (empty["items"], empty["total"]) == ([], 0)
    created = [api.create_review(book_id) for _ in range(3)]
    page = api.list_reviews(book_id)
    assert page["total"] == 3
    assert [comparable(review) for review in page["items"]] == [
        comparable(review) for review in reversed(created)
    ]


@pytest.mark.assay(category="functionality", weight=1, visible=False)
def test_reviews_belong_to_their_book(api):
    """A book's review list holds only that book's reviews."""
    first, second = api.create_book()["id"], api.create_book()["id"]
    mine = api.create_review(first)
    api.create_review(second)
    page = api.list_reviews(first)
    assert [review["id"] for review in page["items"]] == [mine["id"]]


@pytest.mark.assay(category="functionality", weight=1)
def test_list_reviews_paginates(api):
    """Reviews honour limit and offset, with total counting all of the book's reviews."""
    book_id = api.create_book()["id"]
    ids = [api.create_review(book_id)["id"] for _ in range(5)]
    page = api.list_reviews(book_id, limit=2, offset=1)
    assert (page["limit"], page["offset"], page["total"]) == (2, 1, 5)
    assert [review["id"] for review in page["items"]] == [ids[3], ids[2]]


@pytest.mark.assay(category="functionality", weight=2)
def test_book_list_shows_review_count_and_average_rating(api):
    """GET /books reports each book's review_count and average_rating (2 decimals)."""
    book_id = api.create_book()["id"]
    ratings = [api.rng.randint(1, 5) for _ in range(api.rng.randint(2, 6))]
    for rating in ratings:
        api.create_review(book_id, rating=rating)
    book = api.find_book(book_id)
    assert book is not None
    assert book["review_count"] == len(ratings)
    assert book["average_rating"] == pytest.approx(sum(ratings) / len(ratings), abs=0.006)


@pytest.mark.assay(category="functionality", weight=1)
def test_reviews_table_is_indexed_on_book_id(database_url):
    """The reviews table has an index whose first column is book_id."""
    with psycopg.connect(database_url, connect_timeout=5) as connection:
        rows = connection.execute(
            """
            SELECT a.attname
            FROM pg_index i
            JOIN pg_class t ON t.oid = i.indrelid
            JOIN pg_namespace n ON n.oid = t.relnamespace
            JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = i.indkey[0]
            WHERE t.relname = 'reviews' AND n.nspname = current_schema()
            """
        ).fetchall()
    assert ("book_id",) in rows, "an index on reviews(book_id) exists"


@pytest.mark.assay(category="functionality", weight=1)
def test_schema_is_made_by_alembic(database_url):
    """alembic upgrade head made the tables, not create_all at startup beside an empty revision.

    PostgreSQL stamps each catalog row with the transaction that wrote it: tables made by the
    migrations were written after alembic_version was created and no later than the
    transaction that recorded the last revision.
    """
    with psycopg.connect(database_url, connect_timeout=5) as connection:
        made = {
            name: connection.execute(MADE_IN, (name,)).fetchone()[0]
            for name in ("alembic_version", *TABLES)
        }
        assert made["alembic_version"] is not None, "alembic_version table exists"
        stamps = connection.execute("SELECT xmin::text::bigint FROM alembic_version").fetchall()
    assert stamps, "alembic upgrade head recorded a revision"
    tables = [name for name in TABLES if made[name] is not None]
    assert tables, f"none of the tables {TABLES} exists"
    first, last = made["alembic_version"], max(stamps)[0]
    outside = [name for name in tables if not first <= made[name] <= last]
    assert not outside, f"{outside} were created outside the migrations, after the last revision"
