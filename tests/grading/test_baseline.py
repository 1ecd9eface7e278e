"""The reference's load figures: cached per worker, read back only while fresh and whole."""

import json
import time
from pathlib import Path

import pytest

from assay.errors import PlatformError
from assay.grading import baseline
from assay.grading.configure import Login
from assay.grading.report import LoadFigures, LoadTest
from assay.sandbox.pod import AppState
from tests.builders import TESTS, tiny_problem
from tests.fakes import FIGURES, FakeSandbox, grading, locust

MINE = LoadFigures(requests=500, failures=0, rps=50.0, p50_ms=30.0, p95_ms=90.0, p99_ms=150.0)
HOUR = 3600


def cache_file(path: Path, document: object) -> Path:
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def measured(seconds_ago: float, figures: LoadFigures = FIGURES) -> dict:
    return {"measured_at": time.time() - seconds_ago, "figures": figures.model_dump()}


def load_test(figures: LoadFigures | None = MINE) -> LoadTest:
    return LoadTest(users=10, seconds=20, warmup_seconds=2.0, figures=figures)


def attach(tmp_path: Path, sandbox: FakeSandbox, load: LoadTest, *, is_reference: bool) -> None:
    baseline.attach(
        load,
        problem=tiny_problem(tmp_path),
        sandbox=sandbox,
        cache_dir=tmp_path / "cache",
        is_reference=is_reference,
        progress=lambda stage: None,
    )


# read and write


def test_a_missing_cache_reads_as_none(tmp_path):
    assert baseline.read(tmp_path / "absent.json", HOUR) is None


def test_fresh_figures_read_back_with_when_they_were_measured(tmp_path):
    document = measured(60)

    read = baseline.read(cache_file(tmp_path / "b.json", document), HOUR)

    assert read == (FIGURES, document["measured_at"])


def test_figures_older_than_the_max_age_read_as_none(tmp_path):
    assert baseline.read(cache_file(tmp_path / "b.json", measured(HOUR + 1)), HOUR) is None


def test_figures_from_the_future_read_as_none(tmp_path):
    assert baseline.read(cache_file(tmp_path / "b.json", measured(-600)), HOUR) is None


def test_corrupt_json_reads_as_none(tmp_path):
    path = tmp_path / "b.json"
    path.write_text('{"measured_at": 1', encoding="utf-8")

    assert baseline.read(path, HOUR) is None


@pytest.mark.parametrize("key", ["measured_at", "figures"])
def test_a_document_missing_a_key_reads_as_none(tmp_path, key):
    document = measured(60)
    del document[key]

    assert baseline.read(cache_file(tmp_path / "b.json", document), HOUR) is None


@pytest.mark.parametrize(
    "document",
    [
        [],
        "figures",
        {"measured_at": "yesterday", "figures": FIGURES.model_dump()},
        {"measured_at": None, "figures": FIGURES.model_dump()},
        {"measured_at": time.time(), "figures": {"rps": "fast"}},
        {"measured_at": time.time(), "figures": None},
    ],
)
def test_a_document_of_the_wrong_shape_reads_as_none(tmp_path, document):
    assert baseline.read(cache_file(tmp_path / "b.json", document), HOUR) is None


def test_written_figures_read_back_the_same(tmp_path):
    path = tmp_path / "baselines" / "tiny.json"

    baseline.write(path, FIGURES)

    read = baseline.read(path, HOUR)
    assert read is not None
    figures, measured_at = read
    assert figures == FIGURES
    assert time.time() - measured_at < 60


def test_writing_leaves_no_partial_file_behind(tmp_path):
    path = tmp_path / "tiny.json"

    baseline.write(path, FIGURES)
    baseline.write(path, MINE)

    assert [p.name for p in tmp_path.iterdir()] == ["tiny.json"]


# attach


def test_the_reference_is_compared_with_its_own_figures_and_caches_them(tmp_path):
    sandbox = FakeSandbox(grading(TESTS))
    load = load_test()

    attach(tmp_path, sandbox, load, is_reference=True)

    assert (load.reference, load.reference_source) == (MINE, "this run is the reference")
    assert sandbox.pods == []
    [cached] = (tmp_path / "cache" / "baselines").iterdir()
    assert json.loads(cached.read_text())["figures"] == MINE.model_dump()


def test_a_submission_is_compared_with_the_cached_reference_without_a_pod(tmp_path):
    sandbox = FakeSandbox(grading(TESTS))
    attach(tmp_path, sandbox, load_test(FIGURES), is_reference=True)
    load = load_test()

    attach(tmp_path, sandbox, load, is_reference=False)

    assert load.reference == FIGURES
    assert load.reference_source.startswith("reference measured on this worker at ")
    assert sandbox.pods == []


def test_a_cold_cache_measures_the_reference_in_a_pod_and_caches_it(tmp_path):
    reference = FIGURES.model_copy(update={"p95_ms": 33.0})
    sandbox = FakeSandbox(grading(TESTS, locust=locust(reference)))
    load = load_test()

    attach(tmp_path, sandbox, load, is_reference=False)

    assert (load.reference, load.reference_source) == (reference, "reference measured just now")
    assert [pod.programs() for pod in sandbox.pods] == [["probe", "locust"]]
    assert sandbox.load_windows == 1
    [cached] = (tmp_path / "cache" / "baselines").iterdir()
    assert json.loads(cached.read_text())["figures"]["p95_ms"] == 33.0


def test_the_reference_is_started_from_the_problems_reference_folder(tmp_path):
    sandbox = FakeSandbox(grading(TESTS))

    attach(tmp_path, sandbox, load_test(), is_reference=False)

    [(name, script, _env)] = sandbox.pods[0].started
    assert name == "app"
    assert "uvicorn app.main:app" in script


def test_the_reference_is_started_with_the_settings_it_names_as_a_submission_is(tmp_path):
    sandbox = FakeSandbox(grading(TESTS))
    problem = tiny_problem(tmp_path)
    (problem.reference / "alembic.ini").write_text(
        "[alembic]\nsqlalchemy.url = postgresql://books:pw@database:5432/bookreviews\n",
        encoding="utf-8",
    )

    baseline.attach(
        load_test(),
        problem=problem,
        sandbox=sandbox,
        cache_dir=tmp_path / "cache",
        is_reference=False,
        progress=lambda stage: None,
    )

    assert Login("books", "pw", "bookreviews") in sandbox.specs[0].logins


def test_a_stale_cache_is_measured_again(tmp_path):
    sandbox = FakeSandbox(grading(TESTS))
    problem = tiny_problem(tmp_path)
    path = baseline._path(tmp_path / "cache", problem, sandbox)
    path.parent.mkdir(parents=True)
    cache_file(path, measured(baseline.MAX_AGE_S + 60, MINE))
    load = load_test()

    attach(tmp_path, sandbox, load, is_reference=False)

    assert load.reference == FIGURES
    assert len(sandbox.pods) == 1


def test_a_reference_that_does_not_start_is_a_platform_error(tmp_path):
    exited = AppState(running=False, exit_code=1, logs="")
    sandbox = FakeSandbox(grading(TESTS), app=exited)

    with pytest.raises(PlatformError, match="the reference solution did not start"):
        attach(tmp_path, sandbox, load_test(), is_reference=False)

    assert [pod.closed for pod in sandbox.pods] == [True]


def test_a_reference_without_load_figures_is_a_platform_error(tmp_path):
    sandbox = FakeSandbox(grading(TESTS, locust=locust(None)))

    with pytest.raises(PlatformError, match="failed its own load test"):
        attach(tmp_path, sandbox, load_test(), is_reference=False)


def test_a_reference_that_fails_its_load_test_is_a_platform_error(tmp_path):
    failing = FIGURES.model_copy(update={"failures": 500})
    sandbox = FakeSandbox(grading(TESTS, locust=locust(failing)))

    with pytest.raises(PlatformError, match="failed its own load test"):
        attach(tmp_path, sandbox, load_test(), is_reference=False)


def test_a_run_without_figures_gets_no_reference(tmp_path):
    sandbox = FakeSandbox(grading(TESTS))
    load = load_test(None)

    attach(tmp_path, sandbox, load, is_reference=False)

    assert load.reference is None
    assert sandbox.pods == []


def test_the_cache_is_kept_apart_per_image(tmp_path):
    problem = tiny_problem(tmp_path)
    one = FakeSandbox(grading(TESTS))
    other = FakeSandbox(grading(TESTS), image_id="sha256:other")

    assert baseline._path(tmp_path, problem, one) != baseline._path(tmp_path, problem, other)
