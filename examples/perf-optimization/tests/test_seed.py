"""The demo data set: deterministic, idempotent, and loaded at startup when asked."""

from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from app import seed
from app.config import Settings
from app.main import create_app
from app.models import Comment, Follow, Post, User

SMALL = seed.Sizes(users=40, posts=300, comments=600, min_follows=2, max_follows=6)


def counts(session: Session) -> tuple[int, ...]:
    return tuple(
        session.scalar(select(func.count()).select_from(model)) or 0
        for model in (User, Follow, Post, Comment)
    )


def test_seeding_fills_an_empty_database_once(engine: Engine, session: Session) -> None:
    assert seed.ensure_seeded(engine, SMALL) is True
    first = counts(session)
    assert seed.ensure_seeded(engine, SMALL) is False

    assert counts(session) == first
    assert first[0] == 40 and first[2] == 300 and first[3] == 600


def test_seeding_is_deterministic(engine: Engine, session: Session) -> None:
    seed.ensure_seeded(engine, SMALL)
    first = session.execute(select(Post.author_id, Post.body).order_by(Post.id)).all()
    session.rollback()
    with engine.begin() as connection:
        connection.execute(text("TRUNCATE comments, posts, follows, users RESTART IDENTITY"))
    seed.ensure_seeded(engine, SMALL)

    assert session.execute(select(Post.author_id, Post.body).order_by(Post.id)).all() == first


def test_new_rows_get_ids_after_the_seeded_ones(engine: Engine, client: TestClient) -> None:
    seed.ensure_seeded(engine, SMALL)

    response = client.post("/posts", json={"author_id": 1, "body": "after the seed"})

    assert response.json()["id"] == SMALL.posts + 1


def test_startup_seeds_when_configured(settings: Settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    calls: list[object] = []
    monkeypatch.setattr(seed, "ensure_seeded", calls.append)

    with TestClient(create_app(settings.model_copy(update={"seed_on_startup": True}))):
        pass

    assert len(calls) == 1
