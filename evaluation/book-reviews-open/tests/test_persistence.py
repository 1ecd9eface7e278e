"""Books and reviews are kept in PostgreSQL, in a schema made by Alembic, with the index asked for.

The tables are found by what the service stored (see ``storage.py``), not by their names.
"""

import pytest
import storage


@pytest.fixture
def stored(bound, database_url):
    """Where a book and a review just made through the API were stored."""
    title = bound.title()
    book_id = bound.book_id(bound.create_book(title=title))
    text = f"Stored review {bound.title()}"
    bound.create_review(book_id, text=text)
    found = storage.locate(database_url, title=title, review_text=text, book_id=book_id)
    assert found is not None, "the new book's title and review are in no PostgreSQL table"
    return found


@pytest.mark.assay(category="persistence", weight=2)
def test_books_and_reviews_are_stored_in_postgresql(stored):
    """A book and a review made through the API are rows of two PostgreSQL tables."""
    assert stored.books != stored.reviews, f"books and reviews share {stored.books.shown}"
    assert stored.book_column, f"no column of {stored.reviews.shown} names the review's book"


@pytest.mark.assay(category="persistence", weight=2)
def test_reviews_are_indexed_by_their_book(stored):
    """The reviews table has an index whose first column is the review's book."""
    leading = storage.leading_index_columns(stored, stored.reviews)
    assert stored.book_column in leading, (
        f"no index of {stored.reviews.shown} starts with {stored.book_column!r} "
        f"(indexes start with: {sorted(leading) or 'none'})"
    )


@pytest.mark.assay(category="persistence", weight=1)
def test_the_schema_is_made_by_alembic(stored):
    """The database holding books and reviews records an Alembic revision, and the migrations
    made both tables (not create_all at startup beside an empty revision)."""
    assert storage.alembic_revisions(stored), "no alembic_version table holds a revision"
    outside = storage.outside_migrations(stored)
    assert not outside, f"{outside} were created outside the migrations, after the last revision"
