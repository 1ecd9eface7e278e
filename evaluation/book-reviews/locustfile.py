"""Load for the Book Reviews service: mostly reads of the (cached) book list.

Each user seeds a few books with reviews, then browses: the first pages of the book
list, the reviews of its books, and now and then a new review or a new book, which
invalidates the cached list. No think time: the run measures throughput at saturation.
"""

import random
import string

from locust import HttpUser, constant, task

SEED_BOOKS = 3
REVIEWS_PER_BOOK = 2


def words(count: int) -> str:
    return " ".join(
        "".join(random.choices(string.ascii_lowercase, k=random.randint(3, 9)))
        for _ in range(count)
    )


def book_payload() -> dict[str, object]:
    return {
        "title": f"{words(3).capitalize()} {random.randrange(10**9)}",
        "author": words(2).title(),
        "published_year": random.randint(1900, 2024),
    }


def review_payload() -> dict[str, object]:
    return {
        "reviewer": f"reader-{random.randrange(10**6)}",
        "rating": random.randint(1, 5),
        "text": words(random.randint(5, 40)),
    }


class Reader(HttpUser):
    """Browses books and reviews, occasionally writing one."""

    wait_time = constant(0)

    def on_start(self) -> None:
        self.book_ids: list[int] = []
        for _ in range(SEED_BOOKS):
            book_id = self._create_book()
            if book_id is None:
                continue
            self.book_ids.append(book_id)
            for _ in range(REVIEWS_PER_BOOK):
                self._create_review(book_id)

    @task(12)
    def first_page_of_books(self) -> None:
        self.client.get("/books", name="/books")

    @task(4)
    def other_page_of_books(self) -> None:
        offset = random.choice((20, 40))
        self.client.get(f"/books?limit=20&offset={offset}", name="/books?offset=[n]")

    @task(6)
    def reviews_of_a_book(self) -> None:
        self.client.get(f"/books/{self._book_id()}/reviews", name="/books/[id]/reviews")

    @task(2)
    def write_a_review(self) -> None:
        self._create_review(self._book_id())

    @task(1)
    def add_a_book(self) -> None:
        book_id = self._create_book()
        if book_id is not None:
            self.book_ids.append(book_id)

    def _book_id(self) -> int:
        # Without seeded books the requests still go out, and fail, so the run shows it.
        return random.choice(self.book_ids) if self.book_ids else 1

    def _create_book(self) -> int | None:
        with self.client.post(
            "/books", json=book_payload(), name="/books [POST]", catch_response=True
        ) as response:
            if response.status_code != 201:
                response.failure(f"expected 201, got {response.status_code}")
                return None
            return int(response.json()["id"])

    def _create_review(self, book_id: int) -> None:
        with self.client.post(
            f"/books/{book_id}/reviews",
            json=review_payload(),
            name="/books/[id]/reviews [POST]",
            catch_response=True,
        ) as response:
            if response.status_code != 201:
                response.failure(f"expected 201, got {response.status_code}")
