"""The open brief's binding, tried in-process on services spelled the ways candidates spell them.

The binding is problem data (``evaluation/book-reviews-open/tests/``: ``binding.py``,
``openapi.py``, ``bound.py``, ``establish.py``), imported here from that folder as the hidden
suite imports it; each problem that uses it holds an identical copy.
"""

import json
import random
import sys
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.testclient import TestClient

from tests.evaluation.apps import Shape, make_app

ROOT = Path(__file__).resolve().parents[2]
SUITE = ROOT / "evaluation" / "book-reviews-open" / "tests"
MODULES = ("binding.py", "openapi.py", "bound.py", "establish.py")
sys.path.insert(0, str(SUITE))

import binding  # noqa: E402 - the suite's own modules, from its folder
import bound as calls  # noqa: E402
import establish  # noqa: E402


def bound(app: FastAPI, environ: dict[str, str] | None = None):
    client = TestClient(app)
    made = establish.establish(client, environ or {})
    return made, calls.BoundApi(client, made, random.Random(7))


def paths(made) -> dict[str, str]:
    return {name: f"{op.method} {op.path}" for name, op in made.operations.items()}


def test_the_statements_own_spelling_is_bound_and_confirmed():
    made, _ = bound(make_app(Shape()))

    assert made.source == "openapi"
    assert paths(made) == {
        "list books": "GET /books",
        "create book": "POST /books",
        "list reviews": "GET /books/{book_id}/reviews",
        "create review": "POST /books/{book_id}/reviews",
    }
    assert made.unbound == {}
    assert sum("confirmed by a request" in note for note in made.notes) == 4


def test_a_prefix_other_names_a_bare_list_and_200_are_bound_all_the_same():
    shape = Shape(
        prefix="/api/v1",
        title="name",
        author="writer",
        year="year",
        rating="score",
        text="comment",
        reviewer="user",
        envelope=None,
        status=200,
    )
    made, api = bound(make_app(shape))

    assert paths(made)["create review"] == "POST /api/v1/books/{book_id}/reviews"
    assert made.operations["create book"].fields == {
        "title": "name",
        "author": "writer",
        "published_year": "year",
    }
    assert made.operations["create review"].fields == {
        "rating": "score",
        "text": "comment",
        "reviewer": "user",
    }
    assert made.operations["create book"].statuses == [200]
    book = api.create_book(title="Kindred")
    assert api.value(book, "title") == "Kindred"
    assert api.find_book(api.book_id(book)) == book


def test_reviews_named_by_a_book_id_in_the_body_and_the_query_are_bound():
    made, api = bound(make_app(Shape(flat_reviews=True)))

    assert made.operations["create review"].book == {"in": "body", "name": "book_id"}
    assert made.operations["list reviews"].book == {"in": "query", "name": "book_id"}
    book_id = api.book_id(api.create_book())
    review = api.create_review(book_id, rating=2)
    assert [item["rating"] for item in api.reviews(book_id)] == [2]
    assert api.review_id(review) is not None


def test_a_list_is_read_page_by_page_until_the_book_is_found():
    made, api = bound(make_app(Shape(paging="page", envelope="data", default_size=5)))

    assert made.operations["list books"].paging == {
        "page": "page",
        "first": 1,
        "size": "size",
        "max": 50,
    }
    ids = [api.book_id(api.create_book()) for _ in range(120)]
    assert api.find_book(ids[0]) is not None
    assert api.find_book(ids[-1]) is not None
    assert len(api.all_items("list books")) == 121  # the probe's book too


def test_without_a_document_the_usual_paths_are_tried():
    made, _ = bound(make_app(Shape(openapi=None, prefix="/api")))

    assert made.source == "probed"
    assert paths(made)["list books"] == "GET /api/books"
    assert any("no OpenAPI document" in note for note in made.notes)
    assert any("create review: confirmed" in note for note in made.notes)


def test_a_required_field_the_brief_does_not_name_is_filled_from_its_schema():
    made, api = bound(make_app(Shape(extra_required={"isbn": "x"})))

    assert made.operations["create book"].fill == {"isbn": "sample"}
    assert any("'isbn'" in note for note in made.notes)
    api.create_book()


def test_what_cannot_be_bound_is_named_and_fails_only_the_tests_that_need_it():
    app = FastAPI()

    @app.get("/books")
    def list_books() -> list[dict[str, str]]:
        return []

    made, api = bound(app)

    assert set(made.unbound) == {"create book", "list reviews", "create review"}
    assert api.all_items("list books") == []
    with pytest.raises(calls.Unbound, match="could not bind 'create review'"):
        api.create_review(1)


def test_a_pinned_binding_is_used_as_given_and_written_out(tmp_path):
    out = tmp_path / "binding.json"
    pinned = {
        "operations": {
            "list books": {"method": "GET", "path": "/books"},
            "create book": {"method": "POST", "path": "/books", "fields": {"title": "title"}},
        }
    }
    environ = {"ASSAY_BINDING": json.dumps(pinned), "ASSAY_BINDING_OUT": str(out)}

    made, _ = bound(make_app(Shape()), environ)

    assert made.source == "pinned"
    assert made.operations["create book"].fields == {"title": "title"}
    assert made.unbound["create review"] == "the pinned binding leaves it out"
    assert json.loads(out.read_text())["source"] == "pinned"


def test_a_later_run_of_the_same_grading_reuses_the_binding_it_wrote(tmp_path):
    environ = {"ASSAY_BINDING_OUT": str(tmp_path / "binding.json")}
    first, _ = bound(make_app(Shape(prefix="/v2")), environ)

    again, _ = bound(make_app(Shape()), environ)

    assert paths(again) == paths(first)
    assert again.as_json() == first.as_json()


def test_a_document_elsewhere_is_found_through_the_docs_page():
    made, _ = bound(make_app(Shape(openapi="/private/openapi.json", prefix="/api")))

    assert made.source == "openapi"
    assert made.notes[0] == "read the OpenAPI document at /private/openapi.json"


def test_a_docs_page_naming_another_host_is_not_followed():
    app = make_app(Shape(openapi="/private/openapi.json", docs=None, prefix="/api"))

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return HTMLResponse(
            "<script>SwaggerUIBundle({url: 'http://elsewhere/private/openapi.json'})</script>"
        )

    made, _ = bound(app)

    assert made.source == "probed"


def test_a_service_that_answers_nothing_still_gives_a_binding():
    app = FastAPI(openapi_url=None)

    made, api = bound(app)

    assert set(made.unbound) == set(binding.OPERATIONS)
    with pytest.raises(calls.Unbound, match="no OpenAPI document"):
        api.all_items("list books")


@pytest.mark.parametrize("module", MODULES)
def test_the_exact_problem_holds_the_same_binding(module):
    copy = ROOT / "evaluation" / "book-reviews" / "tests" / module

    assert copy.read_text(encoding="utf-8") == (SUITE / module).read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["locustfile.py", "tests/test_behaviour.py"])
def test_both_problems_hold_the_same_locustfile_and_behaviour_tests(name):
    exact = ROOT / "evaluation" / "book-reviews" / name

    assert exact.read_text(encoding="utf-8") == (SUITE.parent / name).read_text(encoding="utf-8")
