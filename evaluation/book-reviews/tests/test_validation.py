"""Invalid input is refused with 422, unknown books with 404, and nothing is stored."""

import pytest

UNKNOWN_BOOK_ID = 1_999_999_999


def post_book_statuses(api, payloads):
    return [api.client.post("/books", json=payload).status_code for payload in payloads]


@pytest.mark.assay(category="validation", weight=2)
def test_create_book_rejects_missing_fields(api):
    """POST /books without title or without author, or with an empty object, answers 422."""
    without_title = api.book_payload()
    del without_title["title"]
    without_author = api.book_payload()
    del without_author["author"]
    statuses = post_book_statuses(api, [without_title, without_author, {}])
    assert statuses == [422, 422, 422]


@pytest.mark.assay(category="validation", weight=2)
def test_create_book_enforces_title_and_author_length(api):
    """title must be 1..200 and author 1..100 characters (after trimming); the bounds pass."""
    too_long = api.book_payload(title="t" * 201)
    empty = api.book_payload(title="")
    blank = api.book_payload(title="   ")
    no_author = api.book_payload(author="")
    long_author = api.book_payload(author="a" * 101)
    assert post_book_statuses(api, [too_long, empty, blank, no_author, long_author]) == [422] * 5
    at_bounds = api.book_payload(title=api.title().ljust(200, "."), author="a" * 100)
    response = api.client.post("/books", json=at_bounds)
    assert response.status_code == 201, response.text
    assert len(response.json()["title"]) == 200


@pytest.mark.assay(category="validation", weight=1)
def test_create_book_rejects_out_of_range_year(api):
    """published_year must be between 1000 and 2100 inclusive."""
    outside = [api.book_payload(published_year=year) for year in (999, 2101, -5)]
    assert post_book_statuses(api, outside) == [422, 422, 422]
    inside = [api.book_payload(published_year=year) for year in (1000, 2100)]
    assert post_book_statuses(api, inside) == [201, 201]


@pytest.mark.assay(category="validation", weight=1)
def test_create_book_rejects_wrong_types(api):
    """Wrongly typed fields, a JSON array body or a body that is not JSON answer 422."""
    payloads = [
        api.book_payload(title=12345),
        api.book_payload(author=["A. Reyes"]),
        api.book_payload(published_year="soon"),
        api.book_payload(published_year=1999.5),
        [api.book_payload()],
    ]
    assert post_book_statuses(api, payloads) == [422] * len(payloads)
    garbled = api.client.post(
        "/books", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert garbled.status_code == 422


@pytest.mark.assay(category="validation", weight=2)
def test_create_review_rejects_out_of_range_rating(api):
    """rating must be an integer from 1 to 5; 0, 6 and -1 answer 422, 1 and 5 are accepted."""
    book_id = api.create_book()["id"]
    statuses = [
        api.client.post(
            f"/books/{book_id}/reviews", json=api.review_payload(rating=rating)
        ).status_code
        for rating in (0, 6, -1, 1, 5)
    ]
    assert statuses == [422, 422, 422, 201, 201]


@pytest.mark.assay(category="validation", weight=2)
def test_create_review_rejects_invalid_fields_and_stores_nothing(api):
    """Non-integer ratings, missing fields, or text/reviewer of bad length answer 422."""
    book_id = api.create_book()["id"]
    missing = []
    for field in ("reviewer", "rating", "text"):
        payload = api.review_payload()
        del payload[field]
        missing.append(payload)
    invalid = [
        *missing,
        api.review_payload(rating=4.5),
        api.review_payload(rating="five"),
        api.review_payload(text=""),
        api.review_payload(text="   "),
        api.review_payload(text="w" * 2001),
        api.review_payload(reviewer=""),
        api.review_payload(reviewer="r" * 101),
    ]
    statuses = [
        api.client.post(f"/books/{book_id}/reviews", json=payload).status_code
        for payload in invalid
    ]
    assert statuses == [422] * len(invalid)
    assert api.list_reviews(book_id)["total"] == 0, "rejected reviews are not stored"
    longest = api.review_payload(text="w" * 2000, reviewer="r" * 100)
    assert api.client.post(f"/books/{book_id}/reviews", json=longest).status_code == 201


@pytest.mark.assay(category="validation", weight=2)
def test_unknown_book_answers_404_with_detail(api):
    """GET and POST /books/{id}/reviews for an id no book has answer 404 {"detail": "..."}."""
    known = api.create_book()["id"]
    api.list_reviews(known)
    unknown = UNKNOWN_BOOK_ID - api.rng.randrange(1000)
    for response in (
        api.client.get(f"/books/{unknown}/reviews"),
        api.client.post(f"/books/{unknown}/reviews", json=api.review_payload()),
    ):
        assert response.status_code == 404, response.text
        detail = response.json().get("detail")
        assert isinstance(detail, str) and detail, 'the body is {"detail": "<message>"}'


@pytest.mark.assay(category="validation", weight=1, visible=False)
def test_non_integer_book_id_answers_422(api):
    """A book id in the path that is not an integer answers 422."""
    assert api.client.get("/books/abc/reviews").status_code == 422
    assert api.client.post("/books/1.5/reviews", json=api.review_payload()).status_code == 422


@pytest.mark.assay(category="validation", weight=1)
def test_pagination_parameters_are_validated(api):
    """limit outside 1..100, a negative offset or a non-integer answers 422 on both lists."""
    book_id = api.create_book()["id"]
    bad = [{"limit": 0}, {"limit": 101}, {"offset": -1}, {"limit": "many"}]
    for path in ("/books", f"/books/{book_id}/reviews"):
        statuses = [api.client.get(path, params=params).status_code for params in bad]
        assert statuses == [422] * len(bad), path
        assert api.client.get(path, params={"limit": 100}).status_code == 200
