from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.builders import create_book, create_review, reviews_of

VALID = {"reviewer": "kofi", "rating": 5, "comment": "Could not put it down."}


def test_create_review_returns_the_stored_review(client: TestClient) -> None:
    book_id = create_book(client)["id"]

    response = client.post(reviews_of(book_id), json=VALID)

    assert response.status_code == 201
    review = response.json()
    assert {key: review[key] for key in VALID} == VALID
    assert (review["id"], review["book_id"]) == (1, book_id)
    assert review["created_at"]


@pytest.mark.parametrize(
    "change",
    [
        {"rating": 0},
        {"rating": 6},
        {"rating": 4.5},
        {"rating": "five"},
        {"comment": ""},
        {"comment": "w" * 2001},
        {"reviewer": " "},
        {"reviewer": "r" * 101},
    ],
)
def test_create_review_rejects_invalid_fields(client: TestClient, change: dict[str, Any]) -> None:
    book_id = create_book(client)["id"]

    response = client.post(reviews_of(book_id), json=VALID | change)

    assert response.status_code == 422
    assert client.get(reviews_of(book_id)).json()["total"] == 0


def test_unknown_book_answers_404(client: TestClient) -> None:
    listed = client.get(reviews_of(404))
    posted = client.post(reviews_of(404), json=VALID)

    assert (listed.status_code, posted.status_code) == (404, 404)
    assert listed.json() == posted.json() == {"detail": "Book 404 not found"}


def test_list_reviews_newest_first_and_paged(client: TestClient) -> None:
    book_id = create_book(client)["id"]
    other_id = create_book(client)["id"]
    ids = [create_review(client, book_id, rating=rating)["id"] for rating in (1, 2, 3)]
    create_review(client, other_id)

    everything = client.get(reviews_of(book_id)).json()
    second = client.get(reviews_of(book_id), params={"page": 2, "size": 1}).json()

    assert [review["id"] for review in everything["items"]] == ids[::-1]
    assert everything["total"] == 3
    assert [review["id"] for review in second["items"]] == [ids[1]]
