"""A report as GitHub Actions reads it: annotations on the lines they are about, and a
Markdown step summary. Only what a candidate may see: reviewer-only tests are a count.
"""

from assay.grading.report import Outcome, Report

ANNOTATED = 50  # GitHub shows at most 50 annotations per step


def _escape(text: str) -> str:
    """Workflow-command escaping: % and line breaks in messages, also , and : in properties."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _escape(text).replace(":", "%3A").replace(",", "%2C")


def annotations(report: Report) -> list[str]:
    """``::error`` lines for failed visible hidden tests, ``::warning`` for lint findings."""
    if report.outcome is Outcome.error:
        return [f"::error title=Assay::{_escape(f'not graded: {report.error}')}"]
    lines = []
    for test in report.hidden_tests:
        if not test.passed and test.visible:
            title = _property(f"hidden test {test.id.rsplit('::', 1)[-1]}")
            message = ": ".join(part for part in (test.doc, test.message) if part)
            lines.append(f"::error title={title}::{_escape(message or test.outcome)}")
    if report.static is not None:
        for finding in report.static.findings:
            where = f"file={_property(finding.file)},line={finding.line}"
            title = _property(f"ruff {finding.code}")
            lines.append(f"::warning {where},title={title}::{_escape(finding.message)}")
    return lines[:ANNOTATED]


def summary(report: Report) -> str:
    """The score table in Markdown, for ``$GITHUB_STEP_SUMMARY`` or a pull-request comment."""
    if report.outcome is Outcome.error:
        return f"## Assay: not graded\n\nThe platform failed: {report.error}\n"
    rows = ["| criterion | points | |", "| --- | ---: | --- |"]
    for criterion in report.criteria:
        if criterion.points is None:
            rows.append(f"| {criterion.title} | -/{criterion.weight:g} | not scored yet |")
            continue
        lost = [signal.note for signal in criterion.signals if signal.fraction < 1.0]
        note = "; ".join(lost[:2]).replace("|", "\\|")
        rows.append(f"| {criterion.title} | {criterion.points:g}/{criterion.weight:g} | {note} |")
    visible = [test for test in report.hidden_tests if test.visible]
    hidden = [test for test in report.hidden_tests if not test.visible]
    tests = (
        f"Hidden tests: {sum(t.passed for t in visible)}/{len(visible)} visible passed, "
        f"{sum(t.passed for t in hidden)}/{len(hidden)} reviewer-only passed."
    )
    return f"## Assay: {report.total:g} / 100\n\n" + "\n".join(rows) + f"\n\n{tests}\n"
