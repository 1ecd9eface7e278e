"""With Redis stopped by the grader, the service still answers from PostgreSQL, quickly."""

import time

import pytest

DEADLINE_SECONDS = 2.0


def timed(send):
    started = time.perf_counter()
    response = send()
    elapsed = time.perf_counter() - started
    assert elapsed < DEADLINE_SECONDS, f"answered in {elapsed:.2f}s without Redis"
    return response


@pytest.mark.degraded
@pytest.mark.assay(category="resilience", weight=2)
def test_list_books_works_without_redis(api):
    """Without Redis, GET /books answers 200 with correct data in under 2 seconds."""
    for _ in range(3):
        response = timed(lambda: api.client.get("/books", params={"limit": 5}))
        assert response.status_code == 200, response.text
        page = response.json()
        assert page["limit"] == 5
        assert len(page["items"]) <= 5


@pytest.mark.degraded
@pytest.mark.assay(category="resilience", weight=2)
def test_create_book_works_without_redis(api):
    """Without Redis, POST /books answers 201 in under 2 seconds and the book is listed."""
    payload = api.book_payload()
    response = timed(lambda: api.client.post("/books", json=payload))
    assert response.status_code == 201, response.text
    book = response.json()
    assert book["title"] == payload["title"]
    listed = timed(lambda: api.client.get("/books", params={"limit": 1}))
    total = listed.json()["total"]
    tail = timed(lambda: api.client.get("/books", params={"limit": 5, "offset": max(total - 5, 0)}))
    assert book["id"] in [item["id"] for item in tail.json()["items"]]


@pytest.mark.degraded
@pytest.mark.assay(category="resilience", weight=2)
def test_reviews_work_without_redis(api):
    """Without Redis, reviews are created and listed, and GET /books shows their aggregates."""
    book_id = api.create_book()["id"]
    for rating in (4, 5):
        review = api.review_payload(rating=rating)
        response = timed(
            lambda payload=review: api.client.post(f"/books/{book_id}/reviews", json=payload)
        )
        assert response.status_code == 201, response.text
    reviews = timed(lambda: api.client.get(f"/books/{book_id}/reviews"))
    assert reviews.status_code == 200
    assert [item["rating"] for item in reviews.json()["items"]] == [5, 4]
    book = api.find_book(book_id)
    assert book is not None
    assert (book["review_count"], book["average_rating"]) == (2, 4.5)


@pytest.mark.degraded
@pytest.mark.assay(category="resilience", weight=1, visible=False)
def test_errors_are_still_reported_without_redis(api):
    """Without Redis, /health answers ok, invalid input 422 and an unknown book 404."""
    assert timed(lambda: api.client.get("/health")).status_code == 200
    invalid = timed(lambda: api.client.post("/books", json=api.book_payload(title="")))
    assert invalid.status_code == 422
    unknown = timed(lambda: api.client.get("/books/1999999999/reviews"))
    assert unknown.status_code == 404
