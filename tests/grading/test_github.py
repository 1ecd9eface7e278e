"""A report as GitHub Actions shows it: annotations and a step summary, candidate-visible only."""

from assay.grading.github import annotations, summary
from assay.grading.report import HiddenTest, LintFinding, Outcome, StaticAnalysis
from tests.builders import make_report


def test_a_failed_visible_test_is_an_error_annotation_with_its_sentence_and_message() -> None:
    report = make_report(
        hidden_tests=[
            HiddenTest(
                id="tests/test_books.py::test_create",
                doc="POST /books answers 201",
                outcome="failed",
                message="assert 200 == 201",
            )
        ]
    )

    assert annotations(report) == [
        "::error title=hidden test test_create::POST /books answers 201: assert 200 == 201"
    ]


def test_a_reviewer_only_test_is_never_annotated() -> None:
    report = make_report(
        hidden_tests=[HiddenTest(id="t::test_secret", visible=False, outcome="failed")]
    )

    assert annotations(report) == []


def test_a_lint_finding_is_a_warning_on_its_file_and_line() -> None:
    finding = LintFinding(code="F401", message="`os` imported but unused", file="app/x.py", line=3)
    report = make_report(static=StaticAnalysis(files=1, findings=[finding]))

    assert annotations(report) == [
        "::warning file=app/x.py,line=3,title=ruff F401::`os` imported but unused"
    ]


def test_messages_are_escaped_for_workflow_commands() -> None:
    test = HiddenTest(id="t::test_x", outcome="failed", message="50% done\nthen: boom")
    report = make_report(hidden_tests=[test])

    assert annotations(report) == ["::error title=hidden test test_x::50%25 done%0Athen: boom"]


def test_an_ungraded_report_is_one_error_naming_the_platform_fault() -> None:
    report = make_report(outcome=Outcome.error, error="the engine is down", total=None)

    assert annotations(report) == ["::error title=Assay::not graded: the engine is down"]
    assert "The platform failed: the engine is down" in summary(report)


def test_the_summary_shows_the_total_and_counts_reviewer_only_tests() -> None:
    report = make_report(
        total=72.5,
        hidden_tests=[
            HiddenTest(id="t::a", outcome="passed"),
            HiddenTest(id="t::b", visible=False, outcome="failed"),
        ],
    )

    text = summary(report)

    assert text.startswith("## Assay: 72.5 / 100")
    assert "1/1 visible passed, 0/1 reviewer-only passed" in text
    assert "t::b" not in text
