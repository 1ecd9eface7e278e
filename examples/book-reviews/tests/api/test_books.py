from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.builders import create_book, create_review

VALID = {"title": "Kindred", "author": "Octavia E. Butler", "published_year": 1979}


def test_create_book_returns_the_stored_book(client: TestClient) -> None:
    response = client.post("/books", json=VALID)

    assert response.status_code == 201
    book = response.json()
    assert book["id"] == 1
    assert {key: book[key] for key in VALID} == VALID
    assert (book["review_count"], book["average_rating"]) == (0, None)
    assert book["created_at"]


def test_create_book_trims_text_and_allows_no_year(client: TestClient) -> None:
    book = create_book(client, title="  Kindred ", author="\tO. Butler", published_year=None)

    assert (book["title"], book["author"], book["published_year"]) == ("Kindred", "O. Butler", None)


@pytest.mark.parametrize(
    "change",
    [
        {"title": ""},
        {"title": "   "},
        {"title": "t" * 201},
        {"author": ""},
        {"author": "a" * 101},
        {"published_year": 999},
        {"published_year": 2101},
        {"published_year": "soon"},
        {"title": 42},
    ],
)
def test_create_book_rejects_invalid_fields(client: TestClient, change: dict[str, Any]) -> None:
    response = client.post("/books", json=VALID | change)

    assert response.status_code == 422


def test_create_book_requires_title_and_author(client: TestClient) -> None:
    assert client.post("/books", json={"author": "Someone"}).status_code == 422
    assert client.post("/books", json={"title": "Something"}).status_code == 422


def test_list_books_orders_by_id_and_paginates(client: TestClient) -> None:
    ids = [create_book(client, title=f"Book {n}")["id"] for n in range(5)]

    first = client.get("/books").json()
    middle = client.get("/books", params={"limit": 2, "offset": 1}).json()

    assert [book["id"] for book in first["items"]] == ids
    assert (first["total"], first["limit"], first["offset"]) == (5, 20, 0)
    assert [book["id"] for book in middle["items"]] == ids[1:3]
    assert (middle["total"], middle["limit"], middle["offset"]) == (5, 2, 1)


def test_list_books_reports_review_aggregates(client: TestClient) -> None:
    reviewed = create_book(client)["id"]
    create_book(client)
    for rating in (5, 4, 4):
        create_review(client, reviewed, rating=rating)

    books = client.get("/books").json()["items"]

    assert [(book["review_count"], book["average_rating"]) for book in books] == [
        (3, 4.33),
        (0, None),
    ]


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 101}, {"offset": -1}])
def test_list_books_rejects_bad_pagination(client: TestClient, params: dict[str, int]) -> None:
    assert client.get("/books", params=params).status_code == 422
