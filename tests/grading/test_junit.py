from datetime import UTC, datetime
from xml.etree import ElementTree as ET

from assay.catalog.schemas import CriterionSpec, RubricSpec, SignalSpec
from assay.grading import scoring, signals
from assay.grading.junit import to_junit
from assay.grading.report import CriterionScore, HiddenTest, Outcome, Report, SignalScore


def report(**overrides: object) -> Report:
    fields: dict[str, object] = {
        "run_id": "abc123",
        "submission": "submissions/alice",
        "started_at": datetime(2024, 5, 1, tzinfo=UTC),
        "total": 72.5,
    }
    return Report.model_validate(fields | overrides)


def hidden(name: str, *, passed: bool = True, visible: bool = True, **fields) -> HiddenTest:
    return HiddenTest(
        id=f"tests/test_api.py::{name}",
        outcome="passed" if passed else "failed",
        visible=visible,
        **fields,
    )


def criterion(title: str, points: float | None, weight: float = 30, notes=()) -> CriterionScore:
    return CriterionScore(
        id=title.lower(),
        title=title,
        weight=weight,
        fraction=None if points is None else points / weight,
        points=points,
        manual=points is None,
        signals=[
            SignalScore(signal="s", value=0.0, fraction=0.0, weight=1, worst=0, best=1, note=note)
            for note in notes
        ],
    )


def parse(xml: str) -> ET.Element:
    return ET.fromstring(xml)


def suite(root: ET.Element, name: str) -> ET.Element:
    [found] = root.findall(f"testsuite[@name='{name}']")
    return found


def test_each_hidden_test_is_a_test_case():
    xml = to_junit(report(hidden_tests=[hidden("test_create", seconds=0.25), hidden("test_list")]))

    cases = suite(parse(xml), "hidden tests").findall("testcase")

    assert [case.get("name") for case in cases] == [
        "tests/test_api.py::test_create",
        "tests/test_api.py::test_list",
    ]
    assert cases[0].get("time") == "0.250"
    assert cases[0].get("classname") == "hidden tests"


def test_a_failed_hidden_test_fails_with_its_message():
    failing = hidden("test_list", passed=False, message="assert 404 == 200")

    hidden_suite = suite(parse(to_junit(report(hidden_tests=[failing]))), "hidden tests")

    failure = hidden_suite.find("testcase/failure")
    assert failure is not None
    assert failure.get("message") == "assert 404 == 200"
    assert failure.text == "assert 404 == 200"
    assert (hidden_suite.get("tests"), hidden_suite.get("failures")) == ("1", "1")


def test_a_hidden_test_without_a_result_fails():
    missing = HiddenTest(id="tests/test_api.py::test_crash")

    hidden_suite = suite(parse(to_junit(report(hidden_tests=[missing]))), "hidden tests")

    assert hidden_suite.find("testcase/failure") is not None


def test_a_reviewer_only_test_hides_its_name_and_message():
    secret = hidden(
        "test_secret_rate_limit",
        passed=False,
        visible=False,
        category="robustness",
        message="expected 429 after 100 requests",
    )

    xml = to_junit(report(hidden_tests=[secret]))

    case = suite(parse(xml), "hidden tests").find("testcase")
    assert case is not None
    assert case.get("name") == "reviewer-only test (robustness)"
    failure = case.find("failure")
    assert failure is not None
    assert (failure.get("message"), failure.text) == ("failed", "failed")
    assert "test_secret_rate_limit" not in xml
    assert "429" not in xml


def test_a_reviewer_only_test_is_named_nowhere_in_a_scored_report():
    tests = [
        hidden("test_list", passed=False),
        hidden("test_secret_rate_limit", passed=False, visible=False),
    ]
    rubric = RubricSpec(
        version="1",
        criteria=[
            CriterionSpec(
                id="functionality",
                title="Functionality",
                weight=30,
                signals=[SignalSpec(signal="hidden.all", worst=0.0, best=1.0)],
            )
        ],
    )
    graded = report(hidden_tests=tests)
    graded.criteria, graded.total = scoring.score(rubric, signals.derive(graded))

    xml = to_junit(graded)

    assert "test_list" in xml
    assert "test_secret_rate_limit" not in xml


def test_a_long_failure_message_is_cut_in_the_attribute_and_kept_in_the_text():
    failing = hidden("test_list", passed=False, message="x" * 2000)

    failure = parse(to_junit(report(hidden_tests=[failing]))).find(".//failure")

    assert failure is not None
    assert len(failure.get("message", "")) == 500
    assert failure.text == "x" * 2000


def test_each_scored_criterion_is_a_case_and_lost_points_fail_it_with_the_notes():
    criteria = [
        criterion("Functionality", 30),
        criterion("Performance", 12.5, weight=25, notes=["p95 900 ms vs reference 80 ms"]),
        criterion("Design review", None, weight=10),
    ]

    criteria_suite = suite(parse(to_junit(report(criteria=criteria))), "criteria")

    cases = criteria_suite.findall("testcase")
    assert [case.get("name") for case in cases] == ["Functionality: 30/30", "Performance: 12.5/25"]
    assert cases[0].find("failure") is None
    failure = cases[1].find("failure")
    assert failure is not None
    assert failure.text == "p95 900 ms vs reference 80 ms"


def test_without_a_bar_there_is_no_score_suite():
    assert parse(to_junit(report())).find("testsuite[@name='score']") is None


def test_a_total_at_the_bar_passes():
    score = suite(parse(to_junit(report(total=70.0), min_score=70)), "score")

    case = score.find("testcase")
    assert case is not None
    assert case.get("name") == "total 70 >= 70"
    assert case.find("failure") is None


def test_a_total_under_the_bar_fails():
    score = suite(parse(to_junit(report(total=69.9), min_score=70)), "score")

    failure = score.find("testcase/failure")
    assert failure is not None
    assert failure.get("message") == "total 69.9 is under 70"
    assert score.get("failures") == "1"


def test_a_platform_error_is_one_error_case_and_nothing_else():
    failed = report(
        outcome=Outcome.error,
        error="the container engine did not answer",
        total=None,
        hidden_tests=[hidden("test_create")],
    )

    root = parse(to_junit(failed, min_score=70))

    [only] = root.findall("testsuite")
    assert only.get("name") == "assay"
    assert (only.get("tests"), only.get("errors"), only.get("failures")) == ("1", "1", "0")
    error = only.find("testcase/error")
    assert error is not None
    assert error.get("message") == "the container engine did not answer"


def test_the_document_is_named_for_the_run():
    root = parse(to_junit(report()))

    assert root.tag == "testsuites"
    assert root.get("name") == "assay abc123"
