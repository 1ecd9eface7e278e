from datetime import UTC, datetime

import pytest

from assay.grading.report import (
    ComplexFunction,
    Contract,
    HiddenTest,
    LoadFigures,
    LoadTest,
    Report,
    SelfTests,
    StaticAnalysis,
)
from assay.grading.signals import (
    contract_signals,
    derive,
    hidden_signals,
    load_signals,
    selftest_signals,
    static_signals,
)


def hidden(
    name: str,
    *,
    passed: bool = True,
    category: str = "functionality",
    weight: float = 1.0,
    visible: bool = True,
) -> HiddenTest:
    return HiddenTest(
        id=f"tests/test_api.py::{name}",
        category=category,
        weight=weight,
        visible=visible,
        outcome="passed" if passed else "failed",
    )


def static(**overrides: object) -> StaticAnalysis:
    fields: dict[str, object] = {"files": 4, "code_lines": 2000}
    return StaticAnalysis.model_validate(fields | overrides)


def figures(**overrides: object) -> LoadFigures:
    fields: dict[str, object] = {
        "requests": 1000,
        "failures": 0,
        "rps": 50.0,
        "p50_ms": 20.0,
        "p95_ms": 80.0,
        "p99_ms": 120.0,
    }
    return LoadFigures.model_validate(fields | overrides)


def load(
    mine: LoadFigures | None = None, *, reference: LoadFigures | None = None, **overrides: object
) -> LoadTest:
    return LoadTest(
        users=10,
        seconds=20,
        warmup_seconds=2.0,
        figures=mine or figures(),
        reference=reference,
        reference_source="reference solution, this worker",
        **overrides,
    )


def report(**overrides: object) -> Report:
    fields: dict[str, object] = {
        "run_id": "abc123",
        "submission": "submissions/alice",
        "started_at": datetime(2024, 5, 1, tzinfo=UTC),
    }
    return Report.model_validate(fields | overrides)


# hidden tests


def test_each_category_gets_its_weighted_pass_ratio():
    tests = [
        hidden("test_create", category="functionality", weight=3),
        hidden("test_list", category="functionality", weight=1, passed=False),
        hidden("test_rejects_blank_title", category="validation", weight=2, passed=False),
    ]

    signals = hidden_signals(tests)

    assert signals["hidden.functionality"].value == pytest.approx(0.75)
    assert signals["hidden.validation"].value == 0.0


def test_hidden_all_is_the_weighted_pass_ratio_over_every_category():
    tests = [
        hidden("test_create", category="functionality", weight=3),
        hidden("test_rejects_blank_title", category="validation", weight=1, passed=False),
    ]

    signals = hidden_signals(tests)

    assert signals["hidden.all"].value == pytest.approx(0.75)
    assert signals["hidden.all"].note == (
        "3 of 4 weighted all tests passed; failed: test_rejects_blank_title"
    )


def test_a_note_names_the_failed_tests_without_their_module():
    tests = [
        hidden("test_create"),
        hidden("test_list", passed=False),
        hidden("test_get", passed=False),
    ]

    note = hidden_signals(tests)["hidden.functionality"].note

    assert note == "1 of 3 weighted functionality tests passed; failed: test_list, test_get"


def test_a_note_names_at_most_six_failed_tests():
    tests = [hidden(f"test_{n}", passed=False) for n in range(8)]

    note = hidden_signals(tests)["hidden.all"].note

    assert note.endswith("failed: test_0, test_1, test_2, test_3, test_4, test_5 ...")


def test_a_note_of_a_category_that_all_passed_names_no_test():
    assert hidden_signals([hidden("test_create")])["hidden.all"].note == (
        "1 of 1 weighted all tests passed"
    )


def test_a_test_without_a_result_counts_as_failed():
    tests = [hidden("test_create"), HiddenTest(id="tests/test_api.py::test_crash")]

    assert hidden_signals(tests)["hidden.all"].value == 0.5


def test_a_reviewer_only_failure_is_counted_but_not_named():
    # Reviewer-only tests show to the candidate only as a count (docs/authoring-problems.md).
    tests = [
        hidden("test_list", passed=False),
        hidden("test_secret_rate_limit", passed=False, visible=False),
    ]

    note = hidden_signals(tests)["hidden.all"].note

    assert note.startswith("0 of 2 weighted all tests passed")
    assert "test_list" in note
    assert "test_secret_rate_limit" not in note


def test_no_hidden_tests_give_a_zero_hidden_all():
    assert hidden_signals([])["hidden.all"].value == 0.0


# the candidate's own tests


def test_no_selftest_run_gives_no_selftest_signals():
    assert selftest_signals(None) == {}


def test_selftest_signals_count_and_pass_ratio():
    signals = selftest_signals(SelfTests(collected=10, passed=6, failed=2))

    assert signals["selftest.test_count"].value == 10.0
    assert signals["selftest.pass_ratio"].value == pytest.approx(0.75)
    assert signals["selftest.pass_ratio"].note == "6 of 8 own tests passed (self-reported)"


def test_no_own_test_that_ran_gives_a_zero_pass_ratio():
    assert selftest_signals(SelfTests(collected=0))["selftest.pass_ratio"].value == 0.0


def test_coverage_signals_only_when_coverage_was_measured():
    assert "selftest.line_coverage" not in selftest_signals(SelfTests(collected=3, passed=3))


def test_coverage_signals_say_what_was_covered():
    selftests = SelfTests(
        collected=3,
        passed=3,
        statements=200,
        covered_statements=150,
        branches=40,
        covered_branches=10,
        line_coverage=0.75,
        branch_coverage=0.25,
    )

    signals = selftest_signals(selftests)

    assert signals["selftest.line_coverage"].value == 0.75
    assert signals["selftest.line_coverage"].note == "150 of 200 statements covered"
    assert signals["selftest.branch_coverage"].value == 0.25
    assert signals["selftest.branch_coverage"].note == "10 of 40 branches covered"


# static analysis


def test_no_static_analysis_or_no_files_gives_no_static_signals():
    assert static_signals(None) == {}
    assert static_signals(static(files=0)) == {}


def test_lint_is_counted_per_thousand_lines_of_code():
    analysis = static(code_lines=2000, findings_total=10, findings_by_rule={"E501": 7, "F401": 3})

    signal = static_signals(analysis)["static.lint_per_kloc"]

    assert signal.value == pytest.approx(5.0)
    assert signal.note == "10 ruff findings in 2000 lines (E501 x7, F401 x3)"


def test_lint_of_a_tiny_submission_counts_as_a_hundred_lines():
    analysis = static(code_lines=20, findings_total=2, findings_by_rule={"E501": 2})

    assert static_signals(analysis)["static.lint_per_kloc"].value == pytest.approx(20.0)


def test_the_format_ratio_is_the_share_of_files_ruff_format_leaves_alone():
    analysis = static(files=4, unformatted=["app/main.py"])

    assert static_signals(analysis)["static.format_clean"].value == pytest.approx(0.75)


def test_security_findings_count_only_the_s_rules():
    analysis = static(
        findings_total=10,
        findings_by_rule={"S608": 2, "S105": 1, "SIM102": 4, "E501": 3},
    )

    signal = static_signals(analysis)["static.security_findings"]

    assert signal.value == 3.0
    assert signal.note == "security rules: S608 x2, S105 x1"


def test_no_security_finding_says_none():
    note = static_signals(static(findings_by_rule={"E501": 1}))["static.security_findings"].note

    assert note == "security rules: none"


def test_docstring_and_type_hint_ratios():
    signals = static_signals(static(public=10, documented=4, slots=20, annotated=15))

    assert signals["static.docstring_ratio"].value == pytest.approx(0.4)
    assert signals["static.type_hint_ratio"].value == pytest.approx(0.75)


def test_complexity_signals_name_the_most_complex_function():
    analysis = static(
        functions=3,
        mean_complexity=4.0,
        max_complexity=9,
        most_complex=[ComplexFunction(where="app/main.py:10 handler", complexity=9)],
    )

    signals = static_signals(analysis)

    assert signals["static.mean_complexity"].value == 4.0
    assert signals["static.max_complexity"].value == 9.0
    assert signals["static.max_complexity"].note == "most complex: app/main.py:10 handler"


def test_no_function_gives_no_complexity_signals():
    assert "static.max_complexity" not in static_signals(static())


# import contracts


def test_contracts_give_the_kept_ratio_and_name_the_broken_ones():
    signals = contract_signals(
        report(
            contracts=[
                Contract(name="layers", kept=True),
                Contract(name="routes do not import models", kept=False),
            ]
        )
    )

    signal = signals["architecture.contracts"]
    assert signal.value == 0.5
    assert signal.note == "1 of 2 import contracts kept; broken: routes do not import models"


def test_no_contracts_give_no_contract_signal():
    assert contract_signals(report()) == {}


# load


def test_no_load_figures_give_no_load_signals():
    assert load_signals(None) == {}
    assert load_signals(LoadTest(users=10, seconds=20, warmup_seconds=2.0)) == {}


def test_absolute_load_signals():
    signals = load_signals(load(figures(requests=200, failures=10), peak_memory_mb=120.5))

    assert signals["load.p95_ms"].value == 80.0
    assert signals["load.rps"].value == 50.0
    assert signals["load.failure_rate"].value == pytest.approx(0.05)
    assert signals["load.failure_rate"].note == "10 of 200 requests failed"
    assert signals["load.peak_memory_mb"].value == 120.5


def test_no_ratios_without_a_reference():
    assert "load.p95_ratio" not in load_signals(load())


def test_ratios_are_the_candidate_over_the_reference():
    mine = figures(p50_ms=30.0, p95_ms=160.0, rps=25.0)
    ref = figures(p50_ms=10.0, p95_ms=40.0, rps=100.0)

    signals = load_signals(load(mine, reference=ref))

    assert signals["load.p50_ratio"].value == pytest.approx(3.0)
    assert signals["load.p95_ratio"].value == pytest.approx(4.0)
    assert signals["load.rps_ratio"].value == pytest.approx(0.25)
    assert signals["load.p95_ratio"].note == (
        "p95 160 ms vs reference 40 ms (reference solution, this worker)"
    )


def test_a_reference_faster_than_a_millisecond_counts_as_one():
    mine = figures(p50_ms=3.0, p95_ms=6.0)
    ref = figures(p50_ms=0.4, p95_ms=0.8)

    signals = load_signals(load(mine, reference=ref))

    assert signals["load.p50_ratio"].value == pytest.approx(3.0)
    assert signals["load.p95_ratio"].value == pytest.approx(6.0)


def test_no_ratios_when_every_request_failed():
    signals = load_signals(load(figures(requests=500, failures=500), reference=figures()))

    assert "load.p95_ratio" not in signals
    assert signals["load.failure_rate"].value == 1.0


def test_no_ratios_when_no_request_was_made():
    signals = load_signals(load(figures(requests=0, rps=0.0), reference=figures()))

    assert "load.rps_ratio" not in signals


def test_derive_gathers_every_kind_of_signal():
    signals = derive(
        report(
            hidden_tests=[hidden("test_create")],
            selftests=SelfTests(collected=1, passed=1),
            static=static(),
            contracts=[Contract(name="layers", kept=True)],
            load=load(),
        )
    )

    assert {
        "hidden.all",
        "selftest.pass_ratio",
        "static.format_clean",
        "architecture.contracts",
        "load.rps",
    } <= signals.keys()
