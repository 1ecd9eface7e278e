"""Small in-memory Book Review services, spelled the ways real candidates spell them.

Each is a FastAPI app built from a few choices (prefix, field names, list shape, status,
paging, where a review names its book), so that the binding can be tried in-process.
"""

import inspect
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI, HTTPException, Query
from pydantic import BaseModel, Field, create_model


@dataclass(frozen=True)
class Shape:
    prefix: str = ""
    title: str = "title"
    author: str = "author"
    year: str = "published_year"
    rating: str = "rating"
    text: str = "text"
    reviewer: str = "reviewer"
    envelope: str | None = "items"  # None: a bare list
    status: int = 201
    paging: str = "offset"  # "offset" (limit/offset), "page" (page/size) or "none"
    default_size: int = 20
    flat_reviews: bool = False  # POST /reviews {book_id}, GET /reviews?book_id=
    openapi: str | None = "/openapi.json"  # where the document is served, if anywhere
    docs: str | None = "/docs"
    extra_required: dict[str, Any] = field(default_factory=dict)


def make_app(shape: Shape) -> FastAPI:
    """A working service in the given shape; data lives in the app's memory."""
    redoc = "/redoc" if shape.docs else None
    app = FastAPI(openapi_url=shape.openapi, docs_url=shape.docs, redoc_url=redoc)
    books: list[dict[str, Any]] = []
    reviews: list[dict[str, Any]] = []
    book_fields: dict[str, Any] = {
        shape.title: (str, Field(min_length=1)),
        shape.author: (str, Field(min_length=1)),
        shape.year: (int | None, None),
        **{name: (type(value), ...) for name, value in shape.extra_required.items()},
    }
    review_fields: dict[str, Any] = {
        shape.rating: (int, Field(ge=1, le=5)),
        shape.text: (str, Field(min_length=1)),
        shape.reviewer: (str, Field(min_length=1)),
    }
    if shape.flat_reviews:
        review_fields["book_id"] = (int, ...)
    book_in: type[BaseModel] = create_model("BookIn", **book_fields)
    review_in: type[BaseModel] = create_model("ReviewIn", **review_fields)

    def page(items: list[dict[str, Any]], size: int, start: int) -> Any:
        chosen = items[start : start + size]
        return {shape.envelope: chosen, "total": len(items)} if shape.envelope else chosen

    def window(limit: int | None, offset: int | None, number: int | None, size: int | None):
        if shape.paging == "page":
            size = size or shape.default_size
            return size, ((number or 1) - 1) * size
        if shape.paging == "offset":
            return limit or shape.default_size, offset or 0
        return 10**9, 0

    def book_or_404(book_id: int) -> dict[str, Any]:
        for book in books:
            if book["id"] == book_id:
                return book
        raise HTTPException(404, f"Book {book_id} not found")

    paging = {
        "offset": {"limit": Query(None, ge=1, le=100), "offset": Query(None, ge=0)},
        "page": {"page": Query(1, ge=1), "size": Query(None, ge=1, le=50)},
        "none": {},
    }[shape.paging]

    def list_books(**params: Any) -> Any:
        size, start = window(
            params.get("limit"), params.get("offset"), params.get("page"), params.get("size")
        )
        return page(books, size, start)

    list_books.__signature__ = _signature(paging)  # type: ignore[attr-defined]
    app.get(f"{shape.prefix}/books")(list_books)

    @app.post(f"{shape.prefix}/books", status_code=shape.status)
    def create_book(data: book_in) -> dict[str, Any]:  # type: ignore[valid-type]
        book = {"id": len(books) + 1, **data.model_dump()}  # type: ignore[attr-defined]
        books.append(book)
        return book

    def list_reviews(book_id: int, **params: Any) -> Any:
        book_or_404(book_id)
        mine = [review for review in reversed(reviews) if review["book_id"] == book_id]
        size, start = window(
            params.get("limit"), params.get("offset"), params.get("page"), params.get("size")
        )
        return page(mine, size, start)

    def create_review(data: Any, book_id: int) -> dict[str, Any]:
        book_or_404(book_id)
        review = {"id": len(reviews) + 1, **data.model_dump(), "book_id": book_id}
        reviews.append(review)
        return review

    if shape.flat_reviews:
        list_reviews.__signature__ = _signature({"book_id": Query(...), **paging})  # type: ignore[attr-defined]
        app.get(f"{shape.prefix}/reviews")(list_reviews)

        @app.post(f"{shape.prefix}/reviews", status_code=shape.status)
        def create_flat(data: review_in) -> dict[str, Any]:  # type: ignore[valid-type]
            return create_review(data, data.book_id)  # type: ignore[attr-defined]

    else:
        list_reviews.__signature__ = _signature({"book_id": None, **paging})  # type: ignore[attr-defined]
        app.get(f"{shape.prefix}/books/{{book_id}}/reviews")(list_reviews)

        @app.post(f"{shape.prefix}/books/{{book_id}}/reviews", status_code=shape.status)
        def create_nested(book_id: int, data: review_in) -> dict[str, Any]:  # type: ignore[valid-type]
            return create_review(data, book_id)

    return app


def _signature(params: dict[str, Any]) -> Any:
    """A signature FastAPI reads: ``None`` marks a path parameter, anything else a default."""
    return inspect.Signature(
        [
            inspect.Parameter(
                name,
                inspect.Parameter.KEYWORD_ONLY,
                annotation=int,
                **({} if default is None else {"default": default}),
            )
            for name, default in params.items()
        ]
    )
