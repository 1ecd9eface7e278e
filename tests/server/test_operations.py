"""What an operator and a load balancer read: health, readiness, metrics, the API's contract."""

import pytest

from assay.server.accounts.models import Role
from tests.server.builders import SMALL_APP, headers, make_user, tar_gz, upload


def test_healthz_answers_while_the_process_runs(client):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_readyz_names_each_dependency(client):
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok"}


def test_readyz_is_503_naming_the_database_when_it_is_gone(client, settings, tmp_path):
    settings.database_url = f"sqlite:///{tmp_path}/missing/dir/assay.db"

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["database"].startswith("unavailable")


def test_metrics_expose_queue_depth_outcomes_and_latency(client, session):
    auth = headers(client, make_user(session, Role.reviewer))
    upload(client, auth, tar_gz(SMALL_APP))

    text = client.get("/metrics").text

    assert "assay_queue_depth" in text
    assert 'assay_gradings{outcome="graded"} 0.0' in text
    assert 'assay_api_request_seconds_count{method="POST",route="/api/v1/submissions"' in text


def test_the_openapi_document_lists_the_api_with_examples(client):
    spec = client.get("/api/v1/openapi.json").json()

    assert "/api/v1/submissions" in spec["paths"]
    assert "/api/v1/submissions/{submission_id}/report" in spec["paths"]
    assert spec["components"]["schemas"]["SubmissionRead"]["examples"]


def test_an_unknown_path_is_a_problem_json_404(client):
    response = client.get("/api/v1/nothing-here")

    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_a_write_the_database_refuses_is_a_503_and_nothing_is_kept(client, session, settings):
    """SQLite's read-only mode stands in for a database gone; PostgreSQL restarts are tested
    for real in the full tier."""
    auth = headers(client, make_user(session, Role.reviewer))
    path = settings.database_url.removeprefix("sqlite:///")
    settings.database_url = f"sqlite:///file:{path}?mode=ro&uri=true"

    response = client.post("/api/v1/tokens", json={"name": "ci"}, headers=auth)

    assert response.status_code == 503
    assert response.headers["retry-after"]
    assert "nothing was changed" in response.json()["detail"]
