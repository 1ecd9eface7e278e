"""Find where the service keeps books and reviews in PostgreSQL, by the values it stored.

The brief names no tables or columns, and a service may even use its own database. So a book
and a review are made through the binding with text nobody else has; the tables holding those
texts are the books and the reviews, and the reviews' book column is the one a foreign key
points from, or else the one holding the book's id. Plain psycopg, read-only.
"""

from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

NOT_THE_APPS = ("grader", "selftest", "template0", "template1")
TEXT_COLUMNS = """
    SELECT n.nspname, c.relname, a.attname
    FROM pg_attribute a
    JOIN pg_class c ON c.oid = a.attrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
      AND n.nspname NOT IN ('pg_catalog', 'information_schema')
      AND n.nspname NOT LIKE 'pg_toast%'
      AND a.atttypid IN ('text'::regtype, 'varchar'::regtype, 'bpchar'::regtype)
"""
FOREIGN_KEY = """
    SELECT a.attname FROM pg_constraint k
    JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1]
    WHERE k.contype = 'f'
      AND k.conrelid = to_regclass(format('%%I.%%I', %s::text, %s::text))
      AND k.confrelid = to_regclass(format('%%I.%%I', %s::text, %s::text))
"""
LEADING_INDEX_COLUMNS = """
    SELECT a.attname FROM pg_index i
    JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
    WHERE i.indrelid = to_regclass(format('%%I.%%I', %s::text, %s::text))
"""

# The transaction that wrote a table's catalog row (its xmin): who made the table, and when.
MADE_IN = """
    SELECT c.xmin::text::bigint FROM pg_class c
    WHERE c.oid = to_regclass(format('%%I.%%I', %s::text, %s::text))
"""
VERSION_SCHEMAS = """
    SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relname = 'alembic_version' AND c.relkind = 'r'
"""


@dataclass(frozen=True)
class Table:
    schema: str
    name: str

    @property
    def shown(self) -> str:
        return f"{self.schema}.{self.name}"


@dataclass(frozen=True)
class Storage:
    """Where books and reviews live: one database, its two tables, the reviews' book column."""

    url: str
    books: Table
    reviews: Table
    book_column: str | None


def database_urls(url: str) -> list[str]:
    """The app's database first, then any other the grader may read (the service's own)."""
    urls = [url]
    try:
        with psycopg.connect(url, connect_timeout=5) as connection:
            names = connection.execute(
                "SELECT datname FROM pg_database WHERE datallowconn ORDER BY datname"
            ).fetchall()
    except psycopg.Error:
        return urls
    parts = urlsplit(url)
    current = parts.path.lstrip("/")
    for (name,) in names:
        if name != current and name not in NOT_THE_APPS:
            urls.append(urlunsplit(parts._replace(path=f"/{name}")))
    return urls


def _holding(connection: psycopg.Connection, value: str) -> tuple[Table, str] | None:
    for schema, table, column in connection.execute(TEXT_COLUMNS).fetchall():
        query = sql.SQL("SELECT 1 FROM {}.{} WHERE {} = %s LIMIT 1").format(
            sql.Identifier(schema), sql.Identifier(table), sql.Identifier(column)
        )
        if connection.execute(query, (value,)).fetchone():
            return Table(schema, table), column
    return None


def _book_column(
    connection: psycopg.Connection,
    reviews: Table,
    books: Table,
    by_text: tuple[str, str],
    book_id: object,
) -> str | None:
    keys = connection.execute(
        FOREIGN_KEY, (reviews.schema, reviews.name, books.schema, books.name)
    ).fetchall()
    if keys:
        return str(keys[0][0])
    column, text = by_text
    query = sql.SQL("SELECT row_to_json(r) FROM {}.{} r WHERE {} = %s LIMIT 1").format(
        sql.Identifier(reviews.schema), sql.Identifier(reviews.name), sql.Identifier(column)
    )
    row = connection.execute(query, (text,)).fetchone()
    found = [key for key, value in (row[0] if row else {}).items() if str(value) == str(book_id)]
    return found[0] if len(found) == 1 else None


def locate(url: str, *, title: str, review_text: str, book_id: object) -> Storage | None:
    """The database and tables holding a book with ``title`` and its review's text."""
    for candidate in database_urls(url):
        try:
            with psycopg.connect(candidate, connect_timeout=5) as connection:
                books = _holding(connection, title)
                reviews = _holding(connection, review_text)
                if books is None or reviews is None:
                    continue
                column = _book_column(
                    connection, reviews[0], books[0], (reviews[1], review_text), book_id
                )
                return Storage(candidate, books[0], reviews[0], column)
        except psycopg.Error:
            continue
    return None


def leading_index_columns(storage: Storage, table: Table) -> set[str]:
    """Columns that lead an index of ``table``."""
    with psycopg.connect(storage.url, connect_timeout=5) as connection:
        rows = connection.execute(LEADING_INDEX_COLUMNS, (table.schema, table.name)).fetchall()
    return {str(row[0]) for row in rows}


def alembic_revisions(storage: Storage) -> list[str]:
    """The revisions recorded in an ``alembic_version`` table of the service's database."""
    with psycopg.connect(storage.url, connect_timeout=5) as connection:
        tables = connection.execute(VERSION_SCHEMAS).fetchall()
        revisions = []
        for (schema,) in tables:
            query = sql.SQL("SELECT version_num FROM {}.alembic_version").format(
                sql.Identifier(schema)
            )
            revisions += [str(row[0]) for row in connection.execute(query).fetchall()]
    return revisions


def outside_migrations(storage: Storage) -> list[str]:
    """The books and reviews tables no Alembic run made: ``create_all`` at startup beside an
    empty revision. A migration writes its tables after ``alembic_version`` is created and no
    later than the transaction that records its last revision."""
    with psycopg.connect(storage.url, connect_timeout=5) as connection:
        runs = []
        for (schema,) in connection.execute(VERSION_SCHEMAS).fetchall():
            created = connection.execute(MADE_IN, (schema, "alembic_version")).fetchone()
            stamped = connection.execute(
                sql.SQL("SELECT max(xmin::text::bigint) FROM {}.alembic_version").format(
                    sql.Identifier(schema)
                )
            ).fetchone()
            if created and stamped and stamped[0] is not None:
                runs.append((created[0], stamped[0]))
        outside = []
        for table in (storage.books, storage.reviews):
            made = connection.execute(MADE_IN, (table.schema, table.name)).fetchone()
            if made is None or not any(first <= made[0] <= last for first, last in runs):
                outside.append(table.shown)
    return outside
