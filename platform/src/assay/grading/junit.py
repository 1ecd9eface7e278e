"""JUnit XML for CI: one case per hidden test and per criterion, and the total against a bar."""

from xml.etree import ElementTree as ET

from assay.grading.report import Outcome, Report


def _suite(root: ET.Element, name: str) -> ET.Element:
    return ET.SubElement(root, "testsuite", name=name)


def _case(suite: ET.Element, name: str, seconds: float = 0.0) -> ET.Element:
    return ET.SubElement(
        suite, "testcase", classname=suite.get("name", ""), name=name, time=f"{seconds:.3f}"
    )


def _finish(suite: ET.Element) -> None:
    cases = suite.findall("testcase")
    suite.set("tests", str(len(cases)))
    suite.set("failures", str(sum(case.find("failure") is not None for case in cases)))
    suite.set("errors", str(sum(case.find("error") is not None for case in cases)))


def to_junit(report: Report, *, min_score: float | None = None) -> str:
    root = ET.Element("testsuites", name=f"assay {report.run_id}")
    if report.outcome is Outcome.error:
        suite = _suite(root, "assay")
        ET.SubElement(_case(suite, "grading"), "error", message=report.error or "platform error")
        _finish(suite)
        return ET.tostring(root, encoding="unicode", xml_declaration=True)
    hidden = _suite(root, "hidden tests")
    for test in report.hidden_tests:
        name = test.id if test.visible else f"reviewer-only test ({test.category})"
        case = _case(hidden, name, test.seconds)
        if not test.passed:
            message = test.message if test.visible else "failed"
            ET.SubElement(case, "failure", message=message[:500]).text = message
    _finish(hidden)
    criteria = _suite(root, "criteria")
    for criterion in report.criteria:
        if criterion.points is None:
            continue
        case = _case(criteria, f"{criterion.title}: {criterion.points:g}/{criterion.weight:g}")
        lost = [s.note for s in criterion.signals if s.fraction < 1.0]
        if lost:
            ET.SubElement(case, "failure", message="points lost").text = "\n".join(lost)
    _finish(criteria)
    if min_score is not None and report.total is not None:
        score = _suite(root, "score")
        case = _case(score, f"total {report.total:g} >= {min_score:g}")
        if report.total < min_score:
            ET.SubElement(case, "failure", message=f"total {report.total:g} is under {min_score:g}")
        _finish(score)
    return ET.tostring(root, encoding="unicode", xml_declaration=True)
