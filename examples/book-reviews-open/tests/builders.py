"""Builders that create data through the API and return its JSON."""

import socket
from typing import Any

from fastapi.testclient import TestClient

BOOKS = "/api/v1/books"


def reviews_of(book_id: int) -> str:
    """The path of a book's reviews."""
    return f"{BOOKS}/{book_id}/reviews"


def create_book(client: TestClient, **overrides: Any) -> dict[str, Any]:
    """POST a valid book, with any field overridden."""
    payload: dict[str, Any] = {
        "title": "The Left Hand of Darkness",
        "author": "Ursula K. Le Guin",
        "year": 1969,
    }
    response = client.post(BOOKS, json=payload | overrides)
    response.raise_for_status()
    return dict(response.json())


def create_review(client: TestClient, book_id: int, **overrides: Any) -> dict[str, Any]:
    """POST a valid review of a book, with any field overridden."""
    payload: dict[str, Any] = {"reviewer": "ana", "rating": 4, "comment": "Quietly brilliant."}
    response = client.post(reviews_of(book_id), json=payload | overrides)
    response.raise_for_status()
    return dict(response.json())


def closed_port() -> int:
    """Return a loopback port nothing listens on (it was free a moment ago)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
