"""Load for the Book Review service, through the binding the hidden tests used.

Each user seeds a few books with reviews, then browses: the book list (the cached path), other
pages of it, the reviews of its books, and now and then a new review or a new book, which
invalidates the cached list. No think time: the run measures throughput at saturation. Paths,
fields and paging are the candidate's own, as the binding found them (or a reviewer pinned).
"""

import os
import random
import sys
import time
from pathlib import Path
from typing import Any

import httpx
from locust import HttpUser, constant, task

# The binding lives beside the hidden tests; Locust runs this file from outside that folder.
sys.path.insert(0, str(Path(__file__).resolve().parent / "tests"))

from binding import CREATE_BOOK, CREATE_REVIEW, LIST_BOOKS, LIST_REVIEWS, id_of, item_of
from bound import BoundApi, Sent, Unbound
from establish import establish

SEED_BOOKS = 3
REVIEWS_PER_BOOK = 2
PAGE = 20


def _binding() -> Any:
    base_url = os.environ.get("ASSAY_BASE_URL", "http://127.0.0.1:8000")
    with httpx.Client(base_url=base_url, timeout=10.0) as client:
        return establish(client)


BINDING = _binding()


class Reader(HttpUser):
    """Browses books and reviews, occasionally writing one."""

    wait_time = constant(0)

    def on_start(self) -> None:
        self.api = BoundApi(None, BINDING, random.Random())
        self.book_ids: list[Any] = []
        for _ in range(SEED_BOOKS):
            book_id = self._create_book()
            if book_id is None:
                continue
            self.book_ids.append(book_id)
            for _ in range(REVIEWS_PER_BOOK):
                self._create_review(book_id)

    @task(12)
    def first_page_of_books(self) -> None:
        self._send(LIST_BOOKS, "books", lambda: self.api.build(LIST_BOOKS))

    @task(4)
    def other_page_of_books(self) -> None:
        self._send(LIST_BOOKS, "books, page [n]", self._other_page)

    @task(6)
    def reviews_of_a_book(self) -> None:
        book_id = self._book_id()
        self._send(LIST_REVIEWS, "reviews", lambda: self.api.build(LIST_REVIEWS, book_id=book_id))

    @task(2)
    def write_a_review(self) -> None:
        self._create_review(self._book_id())

    @task(1)
    def add_a_book(self) -> None:
        book_id = self._create_book()
        if book_id is not None:
            self.book_ids.append(book_id)

    def _other_page(self) -> Sent:
        paging = self.api.operation(LIST_BOOKS).paging
        params: dict[str, Any] = {}
        if "page" in paging:
            params[paging["page"]] = paging.get("first", 1) + random.choice((1, 2))
        elif "offset" in paging:
            params[paging["offset"]] = random.choice((PAGE, 2 * PAGE))
        size = paging.get("size") or paging.get("limit")
        if size and params:
            params[size] = PAGE
        return self.api.build(LIST_BOOKS, params=params)

    def _book_id(self) -> Any:
        # Without seeded books the requests still go out, and fail, so the run shows it.
        return random.choice(self.book_ids) if self.book_ids else 1

    def _create_book(self) -> Any:
        item = self._send(
            CREATE_BOOK,
            "add a book",
            lambda: self.api.build(CREATE_BOOK, payload=self.api.book_payload()),
        )
        return None if item is None else id_of(item, self.api.operation(CREATE_BOOK).id, "book")

    def _create_review(self, book_id: Any) -> None:
        payload = self.api.review_payload()
        self._send(
            CREATE_REVIEW,
            "add a review",
            lambda: self.api.build(CREATE_REVIEW, payload=payload, book_id=book_id),
        )

    def _send(self, operation: str, name: str, build: Any) -> Any:
        """Send one bound request; a failure (or an operation nobody could bind) is counted."""
        try:
            sent = build()
        except Unbound as error:
            self.environment.events.request.fire(
                request_type=operation,
                name=name,
                response_time=0,
                response_length=0,
                exception=error,
                context={},
                start_time=time.time(),
                url="",
                response=None,
            )
            return None
        with self.client.request(
            sent.method,
            sent.path,
            params=sent.params or None,
            json=sent.json,
            name=name,
            catch_response=True,
        ) as response:
            if not 200 <= response.status_code < 300:
                response.failure(f"{operation}: {response.status_code}")
                return None
            try:
                return item_of(response.json())
            except ValueError:
                response.failure(f"{operation}: the answer is not JSON")
                return None
