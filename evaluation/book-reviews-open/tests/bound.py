"""Calling the service in the brief's terms, through a binding.

Payloads are written with the brief's field names and translated; answers are read leniently
(a bare list or an envelope, any id field, 200 or 201). Methods that expect success assert it
with the request and the answer in the message, so a failing test says what the service did.
"""

import json
import random
import re
import string
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx
from binding import (
    BOOK_FIELDS,
    CREATE_BOOK,
    CREATE_REVIEW,
    LIST_BOOKS,
    LIST_REVIEWS,
    REVIEW_FIELDS,
    SYNONYMS,
    Binding,
    Json,
    Operation,
    id_of,
    item_of,
    items_of,
    json_of,
    normal,
)

PAGE_SIZE = 100
MAX_PAGES = 60
WORDS = ["silent", "river", "garden", "ember", "Café", "Łódź", "atlas", "falcon", "quiet", "crown"]


class Unbound(AssertionError):
    """A test needs an operation the binding could not map: it fails, saying which and why."""


@dataclass
class Sent:
    """One request as the binding builds it, for any HTTP client (httpx, Locust)."""

    method: str
    path: str
    params: Json
    json: Any


class BoundApi:
    """The brief's operations over HTTP: payloads in the brief's names, answers read leniently.

    Requests go through the httpx ``client``; Locust builds them here and sends them with its
    own (no client then). Methods that expect success assert it, with the answer in the message.
    """

    def __init__(
        self,
        client: httpx.Client | None,
        binding: Binding,
        rng: random.Random | None = None,
    ) -> None:
        self.client = client
        self.binding = binding
        self.rng = rng or random.Random()
        self._page_size: dict[str, int | None] = {}

    # building requests

    def operation(self, name: str) -> Operation:
        op = self.binding.operations.get(name)
        if op is None:
            why = self.binding.unbound.get(name, "not in the binding")
            raise Unbound(f"could not bind {name!r}: {why}")
        return op

    def build(
        self, name: str, *, payload: Any = None, book_id: Any = None, params: Json | None = None
    ) -> Sent:
        op = self.operation(name)
        path, query = op.path, dict(params or {})
        body = self.translate(op, payload) if isinstance(payload, dict) else payload
        if op.book is not None and book_id is not None:
            where, key = op.book["in"], op.book["name"]
            if where == "path":
                path = path.replace(f"{{{key}}}", quote(str(book_id), safe=""))
            elif where == "query":
                query[key] = book_id
            elif isinstance(body, dict):
                target = body.get(op.wrap, body) if op.wrap else body
                target[key] = book_id
        return Sent(op.method, path, query, body)

    def translate(self, op: Operation, payload: Json) -> Json:
        """The brief's field names to the candidate's; fields it lacks are left out."""
        known = set(BOOK_FIELDS + REVIEW_FIELDS)
        body = dict(op.fill)
        for key, value in payload.items():
            if key in op.fields:
                body[op.fields[key]] = value
            elif key not in known:
                body[key] = value
        return {op.wrap: body} if op.wrap else body

    def send(self, sent: Sent, *, content: bytes | None = None) -> httpx.Response:
        """Send a request; no answer in time, or none at all, is a failure that says so."""
        assert self.client is not None, "this BoundApi only builds requests"
        extra: Json = {"json": sent.json}
        if content is not None:
            extra = {"content": content, "headers": {"content-type": "application/json"}}
        try:
            return self.client.request(sent.method, sent.path, params=sent.params, **extra)
        except httpx.TimeoutException as error:
            waited = self.client.timeout.read
            raise AssertionError(
                f"{sent.method} {sent.path}: no answer within {waited} s"
            ) from error
        except httpx.TransportError as error:
            raise AssertionError(f"{sent.method} {sent.path}: {type(error).__name__}") from error

    def call(self, name: str, **kwargs: Any) -> httpx.Response:
        content = kwargs.pop("content", None)
        return self.send(self.build(name, **kwargs), content=content)

    # payloads

    def title(self) -> str:
        words = " ".join(self.rng.choice(WORDS) for _ in range(self.rng.randint(1, 3)))
        tag = "".join(self.rng.choices(string.ascii_lowercase + string.digits, k=10))
        return f"{words.capitalize()} {tag}"

    def book_payload(self, **overrides: Any) -> Json:
        payload = {
            "title": self.title(),
            "author": f"{self.rng.choice(string.ascii_uppercase)}. Okafor",
            "published_year": self.rng.randint(1900, 2020),
        }
        return {**payload, **overrides}

    def review_payload(self, **overrides: Any) -> Json:
        payload = {
            "rating": self.rng.randint(1, 5),
            "text": " ".join(self.rng.choice(WORDS) for _ in range(self.rng.randint(3, 12))),
            "reviewer": f"reader-{self.rng.randrange(10**6)}",
        }
        return {**payload, **overrides}

    # operations that must succeed

    def _created(self, name: str, response: httpx.Response, kind: str) -> Json:
        sent = f"{response.request.method} {response.request.url.path}"
        assert 200 <= response.status_code < 300, (
            f"{name} ({sent}) answered {response.status_code}: {response.text[:300]}"
        )
        item = item_of(json_of(response))
        assert isinstance(item, dict), (
            f"{name} ({sent}) answered no JSON object: {response.text[:300]}"
        )
        assert id_of(item, self.operation(name).id, kind) is not None, (
            f"{name} ({sent}) answered no id: {response.text[:300]}"
        )
        return item

    def create_book(self, **overrides: Any) -> Json:
        response = self.call(CREATE_BOOK, payload=self.book_payload(**overrides))
        return self._created(CREATE_BOOK, response, "book")

    def create_review(self, book_id: Any, **overrides: Any) -> Json:
        response = self.call(
            CREATE_REVIEW, payload=self.review_payload(**overrides), book_id=book_id
        )
        return self._created(CREATE_REVIEW, response, "review")

    def book_id(self, book: Json) -> Any:
        return id_of(book, self.operation(CREATE_BOOK).id, "book")

    def review_id(self, review: Json) -> Any:
        return id_of(review, self.operation(CREATE_REVIEW).id, "review")

    def value(self, item: Json, brief: str) -> Any:
        """A field of an answer by the brief's name: as sent, else by a synonym."""
        for op in self.binding.operations.values():
            if brief in op.fields and op.fields[brief] in item:
                return item[op.fields[brief]]
        by_normal = {normal(key): key for key in item}
        for synonym in SYNONYMS.get(brief, (brief,)):
            if normal(synonym) in by_normal:
                return item[by_normal[normal(synonym)]]
        return None

    # lists

    def first_page(self, name: str, *, book_id: Any = None) -> Sent:
        """The request for the first page of a list, as the tests and a cache see it."""
        op = self.operation(name)
        params: Json = {}
        if "page" in op.paging:
            params[op.paging["page"]] = op.paging.get("first", 1)
        size, size_key = self._size(name), self._size_key(name)
        if size is not None and size_key is not None:
            params[size_key] = size
        return self.build(name, book_id=book_id, params=params)

    def _size(self, name: str) -> int | None:
        if name not in self._page_size:
            op = self.operation(name)
            self._page_size[name] = min(PAGE_SIZE, int(op.paging.get("max") or PAGE_SIZE))
        return self._page_size[name]

    def _size_key(self, name: str) -> str | None:
        paging = self.operation(name).paging
        return paging.get("size") or paging.get("limit")

    def list_items(self, sent: Sent, name: str) -> list[Any]:
        response = self.send(sent)
        size_key = self._size_key(name)
        if 400 <= response.status_code < 500 and size_key in sent.params:
            # The page size was refused: ask for the service's default from now on.
            self._page_size[name] = None
            del sent.params[size_key]
            response = self.send(sent)
        where = f"{sent.method} {sent.path}"
        assert 200 <= response.status_code < 300, (
            f"{name} ({where}) answered {response.status_code}: {response.text[:300]}"
        )
        items = items_of(json_of(response), self.operation(name).items)
        assert items is not None, f"{name} ({where}): no list in the answer {response.text[:300]}"
        return items

    def pages(self, name: str, *, book_id: Any = None) -> Iterator[list[Any]]:
        """Every page of a list, with the paging the binding found; each item once."""
        op, sent = self.operation(name), self.first_page(name, book_id=book_id)
        seen: set[str] = set()
        for _ in range(MAX_PAGES):
            items = self.list_items(sent, name)
            fresh = [item for item in items if json.dumps(item, sort_keys=True) not in seen]
            seen.update(json.dumps(item, sort_keys=True) for item in fresh)
            yield fresh
            size = self._page_size.get(name)
            if not fresh or not op.paging or (size is not None and len(items) < size):
                return
            if "page" in op.paging:
                sent.params[op.paging["page"]] = sent.params[op.paging["page"]] + 1
            elif "offset" in op.paging:
                sent.params[op.paging["offset"]] = sent.params.get(op.paging["offset"], 0) + len(
                    items
                )
            else:
                return

    def all_items(self, name: str, *, book_id: Any = None) -> list[Any]:
        return [item for page in self.pages(name, book_id=book_id) for item in page]

    def find(self, name: str, ident: Any, *, book_id: Any = None) -> Json | None:
        kind = "book" if name == LIST_BOOKS else "review"
        preferred = self.operation(CREATE_BOOK if kind == "book" else CREATE_REVIEW).id
        for page in self.pages(name, book_id=book_id):
            for item in page:
                if str(id_of(item, preferred, kind)) == str(ident):
                    return item
        return None

    def find_book(self, book_id: Any) -> Json | None:
        return self.find(LIST_BOOKS, book_id)

    def reviews(self, book_id: Any) -> list[Any]:
        return self.all_items(LIST_REVIEWS, book_id=book_id)

    def unknown_book_id(self, known: Any) -> Any:
        """An id no book has, of the type the service's ids have."""
        if isinstance(known, int):
            return 1_999_999_999 - self.rng.randrange(1000)
        text = str(known)
        if re.fullmatch(r"[0-9a-fA-F-]{32,36}", text):
            return str(uuid.UUID(int=self.rng.getrandbits(128)))
        if text.isdigit():
            return str(1_999_999_999 - self.rng.randrange(1000))
        return f"no-such-book-{self.rng.randrange(10**6)}"
