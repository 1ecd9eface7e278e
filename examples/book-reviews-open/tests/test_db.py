from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from app.db import after_commit


def test_after_commit_runs_once_and_only_after_a_commit(engine: Engine) -> None:
    calls: list[str] = []
    with Session(engine) as session:
        session.execute(text("SELECT 1"))
        after_commit(session, lambda: calls.append("committed"))
        session.rollback()
        assert calls == []

        session.execute(text("SELECT 1"))
        session.commit()
        session.execute(text("SELECT 1"))
        session.commit()

    assert calls == ["committed"]
