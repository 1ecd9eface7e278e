"""With Redis stopped by the grader, the service still answers from its database, quickly.

Every request here goes through a client that gives up after 2 seconds.
"""

import pytest
from binding import CREATE_BOOK, LIST_BOOKS, LIST_REVIEWS


@pytest.mark.degraded
@pytest.mark.assay(category="resilience", weight=2)
def test_the_book_list_answers_without_redis(impatient):
    """Without Redis, the book list answers, three times in a row, each within 2 seconds."""
    book_id = impatient.book_id(impatient.create_book())
    for _ in range(3):
        impatient.list_items(impatient.first_page(LIST_BOOKS), LIST_BOOKS)
    assert impatient.find_book(book_id) is not None, "a book added without Redis is listed"


@pytest.mark.degraded
@pytest.mark.assay(category="resilience", weight=2)
def test_books_and_reviews_are_added_and_listed_without_redis(impatient):
    """Without Redis, a book and its review are added and then listed, each within 2 seconds."""
    book_id = impatient.book_id(impatient.create_book())
    review = impatient.create_review(book_id, rating=5)
    assert impatient.find_book(book_id) is not None, "the new book is listed without Redis"
    assert [impatient.review_id(item) for item in impatient.reviews(book_id)] == [
        impatient.review_id(review)
    ]


@pytest.mark.degraded
@pytest.mark.assay(category="resilience", weight=1)
def test_errors_are_still_reported_without_redis(impatient):
    """Without Redis, an unknown book still answers 404 and an invalid book 4xx, quickly."""
    known = impatient.book_id(impatient.create_book())
    assert impatient.find_book(known) is not None, "a book added without Redis is listed"
    unknown = impatient.unknown_book_id(known)
    assert impatient.call(LIST_REVIEWS, book_id=unknown).status_code == 404
    payload = impatient.book_payload()
    del payload["title"]
    status = impatient.call(CREATE_BOOK, payload=payload).status_code
    assert 400 <= status < 500, f"a book without a title answered {status}"
