"""The binding: how the brief's four operations map to the routes, fields and shapes a
candidate chose.

The brief asks for "list books, add a book, list a book's reviews, add a review" and leaves
paths, field names, JSON shapes and status codes to the candidate. A reviewer finds them in
the service's OpenAPI document and tries them; so does this suite (``openapi.py`` reads the
document, ``establish.py`` confirms by requests), and the tests then call the service through
``bound.py``, so that they check what the service does, not how it is spelled. The binding is
plain JSON: the grader keeps it in the report (``ASSAY_BINDING_OUT``), and a reviewer who reads
the API differently pins a correction (``ASSAY_BINDING``), used as given.

Plain Python over httpx, imported by the hidden tests and the locustfile, never by the engine.
"""

import re
from dataclasses import asdict, dataclass, field
from typing import Any

import httpx

LIST_BOOKS = "list books"
CREATE_BOOK = "create book"
LIST_REVIEWS = "list reviews"
CREATE_REVIEW = "create review"
OPERATIONS = (LIST_BOOKS, CREATE_BOOK, LIST_REVIEWS, CREATE_REVIEW)
BOOK_FIELDS = ("title", "author", "published_year")
REVIEW_FIELDS = ("rating", "text", "reviewer")

# Names candidates give the brief's fields, most likely first. "author" and "name" come last
# for a reviewer: a book's author and title are matched before a review's are.
SYNONYMS = {
    "title": ("title", "name", "book_title", "bookname"),
    "author": ("author", "writer", "author_name", "authors", "written_by"),
    "published_year": (
        "published_year",
        "year",
        "publication_year",
        "publish_year",
        "year_published",
        "pub_year",
        "release_year",
        "published",
    ),
    "rating": ("rating", "score", "stars", "rate", "grade"),
    "text": ("text", "comment", "content", "body", "review", "review_text", "message"),
    "reviewer": (
        "reviewer",
        "reviewer_name",
        "user",
        "username",
        "user_name",
        "reviewed_by",
        "nickname",
        "author",
        "name",
    ),
    "review_count": ("review_count", "reviews_count", "num_reviews", "number_of_reviews"),
    "average_rating": ("average_rating", "avg_rating", "rating_average", "mean_rating"),
}
ID_FIELDS = ("id", "{kind}_id", "uuid", "_id", "pk", "{kind}id", "key")
LIST_KEYS = ("items", "data", "results", "books", "reviews", "content", "records", "rows")

Json = dict[str, Any]


def normal(name: str) -> str:
    """Compare names as a reader does: case, underscores and dashes aside."""
    return re.sub(r"[_\-\s]", "", name).lower()


@dataclass
class Operation:
    """One operation of the brief as the candidate spells it.

    ``book`` says where a review operation names its book (``{"in": "path", "name":
    "book_id"}``, or ``query``, or ``body``); ``fields`` maps the brief's field names to the
    candidate's; ``fill`` holds values for other fields it requires; ``items`` is the key of
    a list's envelope (absent: a bare list, or found in each answer); ``paging`` names the
    query parameters that page a list; ``id`` is the created item's id field.
    """

    method: str
    path: str
    book: dict[str, str] | None = None
    fields: dict[str, str] = field(default_factory=dict)
    fill: Json = field(default_factory=dict)
    wrap: str | None = None
    items: str | None = None
    paging: Json = field(default_factory=dict)
    id: str | None = None
    statuses: list[int] = field(default_factory=list)

    def as_json(self) -> Json:
        data = asdict(self)
        return {key: value for key, value in data.items() if value not in (None, {}, [])}

    @classmethod
    def from_json(cls, data: Json) -> "Operation":
        known = set(cls.__dataclass_fields__)
        given = {key: value for key, value in data.items() if key in known}
        given["method"] = str(given.get("method", "GET")).upper()
        given["path"] = str(given.get("path", "/"))
        return cls(**given)


@dataclass
class Binding:
    """The four operations as bound, what could not be, and every inference in a sentence."""

    source: str = "openapi"
    operations: dict[str, Operation] = field(default_factory=dict)
    unbound: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def as_json(self) -> Json:
        return {
            "source": self.source,
            "operations": {name: op.as_json() for name, op in self.operations.items()},
            "unbound": self.unbound,
            "notes": self.notes,
        }

    @classmethod
    def from_json(cls, data: Json, *, source: str) -> "Binding":
        operations = data.get("operations") or {}
        return cls(
            source=source,
            operations={
                name: Operation.from_json(spec)
                for name, spec in operations.items()
                if isinstance(spec, dict)
            },
            unbound={str(k): str(v) for k, v in (data.get("unbound") or {}).items()},
            notes=[str(note) for note in data.get("notes") or []],
        )


# Reading answers


def json_of(response: httpx.Response | None) -> Any:
    """The JSON of an answer, or None when there is none."""
    if response is None:
        return None
    try:
        return response.json()
    except ValueError:
        return None


def item_of(body: Any) -> Any:
    """The created item, also when the answer wraps it (``{"data": {...}}``)."""
    if isinstance(body, dict) and len(body) == 1:
        (only,) = body.values()
        if isinstance(only, dict):
            return only
    return body


def items_of(body: Any, key: str | None = None) -> list[Any] | None:
    """The items of a list answer: a bare list, or the list in its envelope."""
    if isinstance(body, list):
        return body
    if not isinstance(body, dict):
        return None
    if key and isinstance(body.get(key), list):
        return list(body[key])
    for candidate in LIST_KEYS:
        if isinstance(body.get(candidate), list):
            return list(body[candidate])
    lists = [value for value in body.values() if isinstance(value, list)]
    return list(lists[0]) if len(lists) == 1 else None


def id_of(item: Any, preferred: str | None, kind: str) -> Any:
    if not isinstance(item, dict):
        return None
    for name in ([preferred] if preferred else []) + [p.format(kind=kind) for p in ID_FIELDS]:
        if name in item and item[name] is not None:
            return item[name]
    return None
