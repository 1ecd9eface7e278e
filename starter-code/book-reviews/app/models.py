"""SQLAlchemy models (layer 4 of 4: may import nothing above it).

TODO: the `books` and `reviews` tables, typed with `Mapped[...]`, and an index on
reviews(book_id). Then generate a migration: `alembic revision --autogenerate -m "..."`.
"""
