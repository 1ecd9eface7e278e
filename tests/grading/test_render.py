"""What a terminal shows of a run: the live stages, then the score with its evidence."""

import pytest
from rich.console import Console

from assay.grading.render import LiveStages, show_report
from assay.grading.report import (
    CriterionScore,
    Detection,
    Gate,
    HiddenTest,
    Outcome,
    SignalScore,
    Stage,
    StageStatus,
)
from tests.builders import make_report

WIDTH = 160


def console() -> Console:
    return Console(record=True, width=WIDTH, color_system=None)


def shown(**overrides: object) -> str:
    out = console()
    show_report(out, make_report(**overrides))
    return out.export_text()


def live(*stages: Stage) -> str:
    out = console()
    with LiveStages(out, "Grading alice (tiny)") as view:
        for stage in stages:
            view.update(stage)
    return out.export_text()


def cells(row: str) -> list[str]:
    """The non-empty cells of a table row, borders of any enclosing panel dropped."""
    return [cell.strip() for cell in row.split("│") if cell.strip()]


def signal(name: str, fraction: float, note: str) -> SignalScore:
    return SignalScore(
        signal=name, value=fraction, fraction=fraction, weight=1, worst=0, best=1, note=note
    )


def criterion(title: str, points: float | None, **fields: object) -> CriterionScore:
    fraction = None if points is None else points / 30
    return CriterionScore.model_validate(
        {"id": title.lower(), "title": title, "weight": 30, "fraction": fraction, "points": points}
        | fields
    )


# LiveStages


@pytest.mark.parametrize(
    ("status", "label"),
    [
        (StageStatus.passed, "ok"),
        (StageStatus.failed, "failed"),
        (StageStatus.skipped, "skipped"),
        (StageStatus.error, "error"),
    ],
)
def test_a_finished_stage_shows_its_status_time_and_summary(status, label):
    text = live(Stage(name="boot", status=status, seconds=1.3, summary="the summary"))

    [row] = [line for line in text.splitlines() if "boot" in line]
    assert cells(row) == ["boot", label, "1.3s", "the summary"]


def test_a_running_stage_shows_running_and_no_time():
    text = live(Stage(name="load", status=StageStatus.passed, summary="running"))

    [row] = [line for line in text.splitlines() if "load" in line]
    assert "running" in row
    assert "0.0s" not in row


def test_a_stage_reported_twice_shows_once_with_its_latest_state():
    text = live(
        Stage(name="boot", status=StageStatus.passed, summary="running"),
        Stage(name="boot", status=StageStatus.failed, seconds=2.0, summary="app exited"),
    )

    assert [line for line in text.splitlines() if "boot" in line] == [
        line for line in text.splitlines() if "app exited" in line
    ]


def test_the_live_view_has_its_title():
    assert "Grading alice (tiny)" in live()


def test_the_live_views_title_is_shown_as_written():
    out = console()
    with LiveStages(out, "Grading /tmp/[/]alice (tiny)"):
        pass

    assert "Grading /tmp/[/]alice (tiny)" in out.export_text()


def test_a_stage_summary_is_shown_as_written_not_as_markup():
    text = live(Stage(name="boot", status=StageStatus.failed, summary="probe said [/] [bold]x"))

    assert "probe said [/] [bold]x" in text


# show_report


def test_an_error_report_says_it_was_not_graded_and_why():
    text = shown(outcome=Outcome.error, error="static analysis: ruff crashed", total=None)

    assert "Not graded: the platform failed." in text
    assert "static analysis: ruff crashed" in text
    assert "Score" not in text


def test_the_total_heads_the_criteria():
    assert "Score: 72.5 / 100" in shown()


def test_a_scored_criterion_shows_its_points_and_each_signals_evidence():
    scored = criterion(
        "Functionality", 15.0, signals=[signal("hidden.all", 0.5, "1 of 2 weighted tests passed")]
    )

    text = shown(criteria=[scored])

    assert "15/30" in text
    assert "50% x1  hidden.all: 1 of 2 weighted tests passed" in text


def test_a_gated_criterion_shows_its_gate():
    gate = Gate(signal="hidden.all", value=0.25, note="1 of 4 passed")
    scored = criterion("Code Quality", 7.5, gate=gate, signals=[signal("static.x", 1.0, "ok")])

    assert "x 0.25 gate hidden.all: 1 of 4 passed" in shown(criteria=[scored])


def test_a_manual_criterion_awaits_a_reviewer():
    text = shown(criteria=[criterion("Design", None, manual=True)])

    assert "-/30" in text
    assert "manual: awaiting a reviewer" in text


def test_an_omitted_criterion_says_it_was_not_measured():
    text = shown(criteria=[criterion("Performance", None)])

    assert "-/30" in text
    assert "not measured in this run" in text


def test_failed_hidden_tests_are_listed_with_the_first_line_of_their_message():
    message = "assert 404 == 201, the book was not created\nsecond line"
    failed = HiddenTest(id="tests/test_api.py::test_create", outcome="failed", message=message)
    passed = HiddenTest(id="tests/test_api.py::test_ok", outcome="passed")

    text = shown(hidden_tests=[failed, passed])

    assert "Hidden tests failed (1)" in text
    [row] = [line for line in text.splitlines() if "test_create" in line]
    assert cells(row) == ["test_create", "assert 404 == 201, the book was not created"]
    assert "second line" not in text
    assert "test_ok" not in text


def test_a_hidden_test_without_a_message_shows_its_outcome():
    text = shown(hidden_tests=[HiddenTest(id="tests/test_api.py::test_gone")])

    [row] = [line for line in text.splitlines() if "test_gone" in line]
    assert "missing" in row


def test_a_reviewer_only_failure_is_marked_so():
    hidden = HiddenTest(id="t.py::test_secret", outcome="failed", visible=False, message="m")

    assert "test_secret (reviewer-only)" in shown(hidden_tests=[hidden])


def test_no_failed_hidden_test_means_no_failure_table():
    assert "Hidden tests failed" not in shown(hidden_tests=[HiddenTest(id="t", outcome="passed")])


def test_notes_left_out_and_ignored_files_are_shown():
    detection = Detection(
        notes=["app.main:app not found"], left_out=["link (symbolic link)"], ignored=["ruff.toml"]
    )

    text = shown(detection=detection)

    assert "note: app.main:app not found" in text
    assert "left out: link (symbolic link)" in text
    assert "ignored: ruff.toml" in text


def test_the_report_is_headed_by_the_submission_and_run():
    assert "submissions/alice  [run abc123]" in shown()


def test_a_parametrized_test_keeps_its_parameters():
    hidden = HiddenTest(id="t.py::test_rejects[a-b]", outcome="failed", message="got [1, 2]")

    text = shown(hidden_tests=[hidden])

    assert "test_rejects[a-b]" in text
    assert "got [1, 2]" in text


def test_text_from_the_submission_is_shown_as_written_not_as_markup():
    hidden = HiddenTest(id="t.py::test_x", outcome="failed", message="assert '[/]' == '[bold]'")
    detection = Detection(ignored=["[red]x.pth: never on the grader's import path"])

    text = shown(submission="alice[/]", hidden_tests=[hidden], detection=detection)

    assert "assert '[/]' == '[bold]'" in text
    assert "[red]x.pth" in text
    assert "alice[/]" in text


def test_an_error_is_shown_as_written_not_as_markup():
    text = shown(outcome=Outcome.error, error="ruff said [/] and [bold]", total=None)

    assert "ruff said [/] and [bold]" in text
