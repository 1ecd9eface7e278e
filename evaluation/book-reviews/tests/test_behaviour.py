"""What the four operations do, checked through the binding however the service spells them.

Strict where the brief speaks (an unknown book is a 404, a rating is 1 to 5), lenient where it
is silent: any path, field names and envelope the binding found, ids of any type, 200 or 201,
extra fields in answers. A refusal counts only beside an acceptance: each test that expects a
4xx also stores something valid and finds it, so a service that stores nothing passes none.
"""

import pytest
from binding import CREATE_BOOK, CREATE_REVIEW, LIST_REVIEWS, item_of


def assert_refused(response, what: str) -> None:
    status = response.status_code
    assert 400 <= status < 500, f"{what}: expected a 4xx, got {status}: {response.text[:200]}"


def summary(binding) -> str:
    return "; ".join(f"{name}: {why}" for name, why in binding.unbound.items())


@pytest.mark.assay(category="behaviour", weight=1)
def test_the_openapi_document_shows_the_four_operations(binding):
    """The OpenAPI document has routes for listing and adding books and a book's reviews."""
    assert not binding.unbound, summary(binding)
    assert binding.source in ("openapi", "pinned"), "no OpenAPI document was found"


@pytest.mark.assay(category="behaviour", weight=3)
def test_a_created_book_is_answered_and_listed(bound):
    """Adding a book answers 200 or 201 with its id and fields; the book list then shows it."""
    payload = bound.book_payload()
    response = bound.call(CREATE_BOOK, payload=payload)
    assert response.status_code in (200, 201), response.text[:300]
    book = item_of(response.json())
    assert bound.value(book, "title") == payload["title"]
    assert bound.value(book, "author") == payload["author"]
    book_id = bound.book_id(book)
    assert book_id is not None, f"the answer carries the book's id: {book}"
    listed = bound.find_book(book_id)
    assert listed is not None, f"book {book_id} is in the book list"
    assert bound.value(listed, "title") == payload["title"]


@pytest.mark.assay(category="behaviour", weight=1)
def test_a_books_publication_year_is_kept(bound):
    """A book's publication year is stored and shown in the book list."""
    book = bound.create_book(published_year=1969)
    listed = bound.find_book(bound.book_id(book))
    assert listed is not None
    assert bound.value(listed, "published_year") == 1969


@pytest.mark.assay(category="behaviour", weight=3)
def test_a_created_review_is_listed_with_its_book_only(bound):
    """A review is answered with its id and fields, and listed with its book's reviews only."""
    book_id, other_id = (bound.book_id(bound.create_book()) for _ in range(2))
    payload = bound.review_payload(rating=4)
    response = bound.call(CREATE_REVIEW, payload=payload, book_id=book_id)
    assert response.status_code in (200, 201), response.text[:300]
    review = item_of(response.json())
    assert bound.value(review, "rating") == 4
    assert bound.value(review, "text") == payload["text"]
    bound.create_review(other_id)
    listed = bound.reviews(book_id)
    assert [bound.review_id(item) for item in listed] == [bound.review_id(review)]
    assert bound.value(listed[0], "text") == payload["text"]


@pytest.mark.assay(category="behaviour", weight=1)
def test_a_new_book_has_an_empty_review_list(bound):
    """The reviews of a book nobody reviewed yet are an empty list, until one is added."""
    book_id = bound.book_id(bound.create_book())
    assert bound.reviews(book_id) == []
    review = bound.create_review(book_id)
    assert [bound.review_id(item) for item in bound.reviews(book_id)] == [bound.review_id(review)]


@pytest.mark.assay(category="behaviour", weight=2)
def test_an_unknown_book_answers_404(bound):
    """Listing or adding reviews for a book id that names no book answers 404."""
    known = bound.book_id(bound.create_book())
    bound.create_review(known)
    assert len(bound.reviews(known)) == 1, "the known book's review is listed"
    unknown = bound.unknown_book_id(known)
    listed = bound.call(LIST_REVIEWS, book_id=unknown)
    added = bound.call(CREATE_REVIEW, payload=bound.review_payload(), book_id=unknown)
    assert (listed.status_code, added.status_code) == (404, 404), (
        f"reviews of book {unknown}: list {listed.status_code}, add {added.status_code}"
    )


@pytest.mark.assay(category="behaviour", weight=2)
def test_an_invalid_book_is_refused_with_4xx(bound):
    """A book without a title or an author, or whose title is not text, answers 4xx, not 5xx."""
    without_title = bound.book_payload()
    del without_title["title"]
    without_author = bound.book_payload()
    del without_author["author"]
    for name, payload in [
        ("no title", without_title),
        ("no author", without_author),
        ("a title that is an object", bound.book_payload(title={"text": "Dune"})),
    ]:
        assert_refused(bound.call(CREATE_BOOK, payload=payload), name)
    valid = bound.book_id(bound.create_book())
    assert bound.find_book(valid) is not None, "a valid book is accepted and listed"


@pytest.mark.assay(category="behaviour", weight=2)
def test_an_invalid_review_is_refused_with_4xx_and_not_stored(bound):
    """A rating outside 1-5 or not a whole number, or no rating, answers 4xx and stores nothing."""
    book_id = bound.book_id(bound.create_book())
    without_rating = bound.review_payload()
    del without_rating["rating"]
    for name, payload in [
        ("rating 0", bound.review_payload(rating=0)),
        ("rating 6", bound.review_payload(rating=6)),
        ("rating 'five'", bound.review_payload(rating="five")),
        ("no rating", without_rating),
    ]:
        assert_refused(bound.call(CREATE_REVIEW, payload=payload, book_id=book_id), name)
    assert bound.reviews(book_id) == [], "refused reviews are not stored"
    for rating in (1, 5):
        bound.create_review(book_id, rating=rating)
    assert len(bound.reviews(book_id)) == 2, "ratings 1 and 5 are accepted and stored"


@pytest.mark.assay(category="behaviour", weight=1)
def test_malformed_requests_answer_4xx_not_5xx(bound):
    """A body that is not JSON, a JSON list for a book, or a book id of the wrong type: 4xx."""
    known = bound.book_id(bound.create_book())
    assert bound.find_book(known) is not None, "a valid book is accepted and listed"
    garbled = b'{"title": "Dune",'
    assert_refused(bound.call(CREATE_BOOK, content=garbled), "a body that is not JSON")
    listed = bound.build(CREATE_BOOK, payload=bound.book_payload())
    listed.json = [listed.json]
    assert_refused(bound.send(listed), "a JSON list instead of a book")
    assert_refused(
        bound.call(CREATE_REVIEW, content=garbled, book_id=known), "a review that is not JSON"
    )
    if isinstance(known, int):
        assert_refused(bound.call(LIST_REVIEWS, book_id="abc"), "book id 'abc'")
