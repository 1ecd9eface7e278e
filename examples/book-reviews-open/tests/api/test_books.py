from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.builders import BOOKS, create_book

VALID = {"title": "Kindred", "author": "Octavia E. Butler", "year": 1979}


def test_create_book_returns_the_stored_book(client: TestClient) -> None:
    response = client.post(BOOKS, json=VALID)

    assert response.status_code == 201
    book = response.json()
    assert book["id"] == 1
    assert {key: book[key] for key in VALID} == VALID
    assert book["created_at"]


def test_create_book_trims_text_and_allows_no_year(client: TestClient) -> None:
    book = create_book(client, title="  Kindred ", author="\tO. Butler", year=None)

    assert (book["title"], book["author"], book["year"]) == ("Kindred", "O. Butler", None)


@pytest.mark.parametrize(
    "change",
    [
        {"title": ""},
        {"title": "   "},
        {"title": "t" * 201},
        {"author": ""},
        {"author": "a" * 101},
        {"year": 999},
        {"year": 2101},
        {"year": "soon"},
        {"title": 42},
    ],
)
def test_create_book_rejects_invalid_fields(client: TestClient, change: dict[str, Any]) -> None:
    response = client.post(BOOKS, json=VALID | change)

    assert response.status_code == 422


def test_create_book_requires_title_and_author(client: TestClient) -> None:
    assert client.post(BOOKS, json={"author": "Someone"}).status_code == 422
    assert client.post(BOOKS, json={"title": "Something"}).status_code == 422


def test_list_books_pages_oldest_first(client: TestClient) -> None:
    ids = [create_book(client, title=f"Book {n}")["id"] for n in range(5)]

    first = client.get(BOOKS).json()
    second = client.get(BOOKS, params={"page": 2, "size": 2}).json()

    assert [book["id"] for book in first["items"]] == ids
    assert (first["total"], first["page"], first["size"]) == (5, 1, 20)
    assert [book["id"] for book in second["items"]] == ids[2:4]
    assert (second["total"], second["page"], second["size"]) == (5, 2, 2)


@pytest.mark.parametrize("params", [{"page": 0}, {"size": 0}, {"size": 101}])
def test_list_books_rejects_bad_paging(client: TestClient, params: dict[str, int]) -> None:
    assert client.get(BOOKS, params=params).status_code == 422
