"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL
(what ``alembic check`` verifies), and revision 0002 keeps what was graded before it."""

import json
from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, text

from assay.server import migrate
from assay.server.models import Base


def test_the_migrated_schema_matches_the_models(database):
    engine = create_engine(database)
    try:
        with engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    finally:
        engine.dispose()

    assert differences == []


def test_revision_0002_backfills_points_and_outcomes_of_earlier_gradings(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    migrate.upgrade(url, "0001")
    report = {
        "criteria": [{"id": "functionality", "points": 21.0}],
        "hidden_tests": [{"id": "t::a", "outcome": "passed"}, {"id": "t::b", "outcome": "failed"}],
    }
    now = datetime.now(UTC).isoformat()
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO users (id, email, name, role, created_at) "
                "VALUES ('u', 'c@example.com', '', 'candidate', :now)"
            ),
            {"now": now},
        )
        connection.execute(
            text("INSERT INTO blobs (sha256, size, data, created_at) VALUES ('b', 1, x'00', :now)"),
            {"now": now},
        )
        connection.execute(
            text(
                "INSERT INTO submissions (id, candidate_id, problem, archive_sha256, files, size, "
                "source, status, created_at, queued_at, deliveries, total) VALUES "
                "('s', 'u', 'book-reviews', 'b', 1, 1, 'upload', 'graded', :now, :now, 1, 70.0)"
            ),
            {"now": now},
        )
        connection.execute(
            text(
                "INSERT INTO gradings (id, submission_id, number, worker, status, stage, stages, "
                "started_at, heartbeat_at, total, image, suite_sha256, report) VALUES "
                "('g', 's', 1, 'w', 'graded', '', '[]', :now, :now, 70.0, '', '', :report)"
            ),
            {"now": now, "report": json.dumps(report)},
        )
    command.upgrade(migrate.alembic_config(url), "head")

    with engine.connect() as connection:
        reviewed, points = connection.execute(
            text("SELECT reviewed_total, points FROM submissions")
        ).one()
        outcomes = connection.execute(
            text("SELECT test_id, passed FROM hidden_outcomes ORDER BY test_id")
        ).all()
    engine.dispose()
    assert reviewed == 70.0
    assert json.loads(points) == {"functionality": 21.0}
    assert [tuple(row) for row in outcomes] == [("t::a", 1), ("t::b", 0)]


def test_revision_0002_can_be_undone_and_done_again(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'roundtrip.db'}"
    migrate.upgrade(url)
    config = migrate.alembic_config(url)

    command.downgrade(config, "0001")
    command.upgrade(config, "head")
