"""With Redis stopped by the grader, the service still answers from PostgreSQL, quickly.

Every request goes through the binding with a client that gives up after 2 seconds: a
service that spells its API differently is still measured on how it survives without Redis.
"""

import pytest
from binding import CREATE_BOOK, LIST_BOOKS, LIST_REVIEWS


@pytest.mark.degraded
@pytest.mark.assay(category="resilience", weight=2)
def test_list_books_works_without_redis(impatient):
    """Without Redis, GET /books answers with the books, three times, each within 2 seconds."""
    book_id = impatient.book_id(impatient.create_book())
    for _ in range(3):
        impatient.list_items(impatient.build(LIST_BOOKS), LIST_BOOKS)
    assert impatient.find_book(book_id) is not None


@pytest.mark.degraded
@pytest.mark.assay(category="resilience", weight=2)
def test_create_book_works_without_redis(impatient):
    """Without Redis, POST /books answers within 2 seconds and the book is listed."""
    payload = impatient.book_payload()
    book = impatient.create_book(**payload)
    assert impatient.value(book, "title") == payload["title"]
    assert impatient.find_book(impatient.book_id(book)) is not None


@pytest.mark.degraded
@pytest.mark.assay(category="resilience", weight=2)
def test_reviews_work_without_redis(impatient):
    """Without Redis, reviews are created and listed, and GET /books shows their aggregates."""
    book_id = impatient.book_id(impatient.create_book())
    for rating in (4, 5):
        impatient.create_review(book_id, rating=rating)
    ratings = [impatient.value(item, "rating") for item in impatient.reviews(book_id)]
    assert ratings == [5, 4]
    book = impatient.find_book(book_id)
    assert book is not None
    counts = impatient.value(book, "review_count"), impatient.value(book, "average_rating")
    assert counts == (2, 4.5)


@pytest.mark.degraded
@pytest.mark.assay(category="resilience", weight=1, visible=False)
def test_errors_are_still_reported_without_redis(impatient):
    """Without Redis, invalid input is still refused and an unknown book is still a 404."""
    payload = impatient.book_payload(title="")
    status = impatient.call(CREATE_BOOK, payload=payload).status_code
    assert 400 <= status < 500, f"an empty title answered {status}"
    unknown = impatient.unknown_book_id(impatient.book_id(impatient.create_book()))
    assert impatient.call(LIST_REVIEWS, book_id=unknown).status_code == 404
