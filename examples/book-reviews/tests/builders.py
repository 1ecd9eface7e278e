"""Builders that create data through the API and return its JSON."""

import socket
from typing import Any

from fastapi.testclient import TestClient


def create_book(client: TestClient, **overrides: Any) -> dict[str, Any]:
    """POST a valid book, with any field overridden."""
    payload: dict[str, Any] = {
        "title": "The Left Hand of Darkness",
        "author": "Ursula K. Le Guin",
        "published_year": 1969,
    }
    response = client.post("/books", json=payload | overrides)
    response.raise_for_status()
    return dict(response.json())


def create_review(client: TestClient, book_id: int, **overrides: Any) -> dict[str, Any]:
    """POST a valid review of a book, with any field overridden."""
    payload: dict[str, Any] = {"reviewer": "ana", "rating": 4, "text": "Quietly brilliant."}
    response = client.post(f"/books/{book_id}/reviews", json=payload | overrides)
    response.raise_for_status()
    return dict(response.json())


def closed_port() -> int:
    """Return a loopback port nothing listens on (it was free a moment ago)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
