"""A working service that departs from the exact contract systematically loses Functionality only.

The book-reviews reference is changed the way real solutions differ from a statement: every
route under /api/v1, lists as bare lists instead of the page envelope, 200 for creations. The
behaviour tests still find and exercise its API through the binding, so the gates stay open and
Code Quality and Architecture are what the reference earns; only the exact tests fail.
"""

import pytest

from assay.catalog.loader import Problem
from assay.grading.report import Report
from tests.realworld.variants import edited

pytestmark = [pytest.mark.docker, pytest.mark.xdist_group("realworld")]

EDITS = {
    "app/main.py": [
        ("app.include_router(module.router)", 'app.include_router(module.router, prefix="/api/v1")')
    ],
    "app/api/books.py": [
        ("status.HTTP_201_CREATED", "status.HTTP_200_OK"),
        (
            "from app.schemas import BookCreate, BookPage, BookRead",
            "from app.schemas import BookCreate, BookRead",
        ),
        (") -> BookPage:", ") -> list[BookRead]:"),
        ("limit=limit, offset=offset)\n", "limit=limit, offset=offset).items\n"),
    ],
    "app/api/reviews.py": [
        ("status_code=status.HTTP_201_CREATED", "status_code=status.HTTP_200_OK"),
        (
            "from app.schemas import ReviewCreate, ReviewPage, ReviewRead",
            "from app.schemas import ReviewCreate, ReviewRead",
        ),
        (") -> ReviewPage:", ") -> list[ReviewRead]:"),
        ("limit=limit, offset=offset)\n", "limit=limit, offset=offset).items\n"),
    ],
}


def _points(report: Report) -> dict[str, float | None]:
    return {criterion.id: criterion.points for criterion in report.criteria}


@pytest.fixture(scope="session")
def reference(grader, book_reviews: Problem) -> Report:
    return grader(book_reviews.reference, measure_load=False)


@pytest.fixture(scope="session")
def respelled(grader, book_reviews: Problem, tmp_path_factory: pytest.TempPathFactory) -> Report:
    folder = edited(
        book_reviews.reference, EDITS, tmp_path_factory.mktemp("respelled") / "submission"
    )
    return grader(folder, measure_load=False)


def test_the_binding_finds_the_respelled_api(respelled: Report) -> None:
    assert respelled.binding is not None
    paths = {name: spec["path"] for name, spec in respelled.binding.operations.items()}
    assert paths["create review"] == "/api/v1/books/{book_id}/reviews"
    assert respelled.binding.operations["create book"]["statuses"] == [200]


def test_every_gate_stays_open(respelled: Report) -> None:
    gates = {c.id: c.gate.value for c in respelled.criteria if c.gate is not None}
    assert gates and set(gates.values()) == {1.0}, gates


def test_only_functionality_is_lost(reference: Report, respelled: Report) -> None:
    mine, theirs = _points(respelled), _points(reference)

    assert (mine["functionality"] or 0) < (theirs["functionality"] or 0)
    assert (mine["code_quality"], mine["architecture"]) == (
        theirs["code_quality"],
        theirs["architecture"],
    )
