"""Tampering: files that would change what the grader runs or measures, if it ever read them.

Two gradings beside the honest twin: one ships modules named like every module the tester
imports (the sharpest, ``assay_pytest.py``, reports every test passed), ``conftest.py`` at every
level, a ``pytest11`` entry point, start-up hooks and a ``.pth``; the other ships configuration
for coverage, ruff and pytest that would hide its findings, failures and uncovered code.
Neither may score above the twin on what it tries to forge, and the report names every file.
"""

import pytest

from assay.catalog.loader import Problem
from tests.hostile import submissions
from tests.hostile.checks import TESTER_STAGES, Graded, Hostile, assert_contained, not_above

pytestmark = [pytest.mark.docker, pytest.mark.xdist_group("hostile")]
NOT_IMPORTED = "they never import the submission"
# What runs the candidate's own tests: the grader's, whatever the submission names its modules.
GRADER_TOOLS = ("coverage", "pytest", "_pytest", "pluggy", "assay_pytest", "evil_plugin")
GRADER_TOOLS += ("sitecustomize", "usercustomize", "hostile_pth")


@pytest.fixture(scope="session")
def modules(
    hostile: Hostile, book_reviews: Problem, marker: str, tmp_path_factory: pytest.TempPathFactory
) -> Graded:
    folder = tmp_path_factory.mktemp("modules") / "submission"
    return hostile("shadow modules", submissions.tampered_modules(book_reviews, folder, marker))


@pytest.fixture(scope="session")
def configs(
    hostile: Hostile, book_reviews: Problem, tmp_path_factory: pytest.TempPathFactory
) -> Graded:
    folder = tmp_path_factory.mktemp("configs") / "submission"
    return hostile("poisoned configs", submissions.tampered_configs(book_reviews, folder))


@pytest.fixture(scope="session")
def reference_shadowed(
    hostile: Hostile, book_reviews: Problem, marker: str, tmp_path_factory: pytest.TempPathFactory
) -> Graded:
    folder = tmp_path_factory.mktemp("reference-shadowed") / "submission"
    built = submissions.tampered_reference(book_reviews, folder, marker)
    return hostile("reference shadowed", built, measure_load=True)


def _selftest_counts(graded: Graded) -> tuple[int, int, int, int]:
    own = graded.report.selftests
    assert own is not None
    return own.collected, own.passed, own.failed, own.collect_errors


def test_the_honest_twin_really_runs_the_hidden_suite(twin: Graded) -> None:
    assert_contained(twin)
    assert twin.stage("boot").status.value == "passed"
    outcomes = twin.outcomes()
    assert "passed" in outcomes.values()
    assert "failed" in outcomes.values()
    assert _selftest_counts(twin) == (3, 2, 1, 0)
    assert twin.report.static is not None and twin.report.static.findings_total > 0


def test_shadow_modules_are_graded_and_contained(modules: Graded) -> None:
    assert_contained(modules)
    assert modules.stage("boot").status.value == "passed"


def test_no_shadow_module_plugin_or_hook_runs_beside_the_hidden_tests(modules: Graded) -> None:
    tester_logs = modules.log(*TESTER_STAGES)
    assert submissions.LOADED not in tester_logs
    assert submissions.LEAKED not in modules.report.model_dump_json()


def test_shadow_modules_forge_no_hidden_result(modules: Graded, twin: Graded) -> None:
    assert modules.outcomes() == twin.outcomes()
    assert not_above(modules, twin, ["functionality", "architecture"]) == []


def test_own_tests_run_under_the_graders_plugin_not_the_submissions(
    modules: Graded, twin: Graded
) -> None:
    """The fake ``assay_pytest.py`` reports every test passed; the grader's plugin is used."""
    own_log = modules.stage("own tests").log
    for name in GRADER_TOOLS:
        assert f"{submissions.LOADED} {name} " not in own_log, name
    assert _selftest_counts(modules) == _selftest_counts(twin)
    assert not_above(modules, twin, ["testing"]) == []


def test_the_report_names_every_shadowing_file(modules: Graded) -> None:
    ignored = "\n".join(modules.report.detection.ignored)
    named = [
        "assay_pytest.py",
        *(f"{name}.py" for name in submissions.SHADOWED_MODULES if name != "hostile_pth"),
        *submissions.SHADOWED_PACKAGES,
    ]
    for name in named:
        assert f"{name}: named like a module" in ignored, name
    assert f"assay_pytest.py: named like a module the grader's tools import; {NOT_IMPORTED}" in (
        modules.report.detection.ignored
    )
    for relative in submissions.CONFTESTS:
        assert f"{relative}: runs only with your own tests" in ignored, relative
    assert "hostile.pth: never on the grader's import path" in ignored
    assert "evil_plugin-1.0.dist-info: never on the grader's import path" in ignored


def test_poisoned_configs_are_graded_and_contained(configs: Graded) -> None:
    assert_contained(configs)


def test_poisoned_configs_change_no_measurement(configs: Graded, twin: Graded) -> None:
    static, twin_static = configs.report.static, twin.report.static
    assert static is not None and twin_static is not None
    assert static.findings_by_rule == twin_static.findings_by_rule
    assert static.unformatted == twin_static.unformatted
    assert configs.report.selftests == twin.report.selftests
    assert configs.report.contracts == twin.report.contracts
    measured = [key for key in twin.signals() if key.startswith(("static.", "selftest."))]
    assert {key: configs.signals()[key] for key in measured} == {
        key: twin.signals()[key] for key in measured
    }
    assert not_above(configs, twin, twin.points()) == []


def test_the_report_names_every_config_file_it_did_not_read(configs: Graded) -> None:
    ignored = "\n".join(configs.report.detection.ignored)
    for relative in submissions.CONFIGS_NAMED:
        assert f"\n{relative}: " in f"\n{ignored}", relative


def test_load_is_measured_by_the_graders_locust_not_the_submissions(
    reference_shadowed: Graded,
) -> None:
    """A module named ``locust`` beside a service good enough to be load-tested changes nothing."""
    assert_contained(reference_shadowed)
    assert submissions.LOADED not in reference_shadowed.log(*TESTER_STAGES, "load")
    load = reference_shadowed.report.load
    assert load is not None and load.figures is not None
    assert load.figures.requests > 0
    assert reference_shadowed.stage("load").status.value == "passed"
    assert all(test.passed for test in reference_shadowed.report.hidden_tests)
