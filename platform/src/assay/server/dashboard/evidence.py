"""A report read for the page: the evidence behind each criterion, and what changed between
two attempts. Pure functions of reports."""

from dataclasses import dataclass, field

from assay.grading.report import CriterionScore, HiddenTest, LintFinding, Report

HIDDEN = "hidden."


@dataclass(frozen=True)
class Evidence:
    """What a criterion's signals point at, ready to show under its bar."""

    failed_tests: list[HiddenTest] = field(default_factory=list)
    findings: list[LintFinding] = field(default_factory=list)
    static: bool = False
    selftests: bool = False
    load: bool = False
    contracts: bool = False
    faults: list[HiddenTest] = field(default_factory=list)


def _categories(criterion: CriterionScore) -> set[str] | None:
    """The hidden-test categories a criterion reads; None for all of them."""
    wanted = {
        signal.signal.removeprefix(HIDDEN)
        for signal in criterion.signals
        if signal.signal.startswith(HIDDEN)
    }
    if "all" in wanted:
        return None
    return wanted


def evidence(report: Report, criterion: CriterionScore) -> Evidence:
    prefixes = {signal.signal.split(".", 1)[0] for signal in criterion.signals}
    failed: list[HiddenTest] = []
    faults: list[HiddenTest] = []
    if "hidden" in prefixes:
        categories = _categories(criterion)
        for test in report.hidden_tests:
            if categories is not None and test.category not in categories:
                continue
            if test.degraded:
                faults.append(test)
            elif not test.passed:
                failed.append(test)
    static = "static" in prefixes and report.static is not None
    return Evidence(
        failed_tests=failed,
        findings=list(report.static.findings) if static and report.static else [],
        static=static,
        selftests="selftest" in prefixes and report.selftests is not None,
        load="load" in prefixes and report.load is not None,
        contracts="architecture" in prefixes and bool(report.contracts),
        faults=faults,
    )


@dataclass(frozen=True)
class Change:
    """What differs between an earlier and a later attempt."""

    total: tuple[float | None, float | None]
    criteria: list[tuple[str, float | None, float | None]]
    fixed: list[str]
    broken: list[str]
    image: tuple[str, str] | None
    suite: tuple[str, str] | None
    findings: tuple[int, int] | None

    @property
    def nothing(self) -> bool:
        return (
            self.total[0] == self.total[1]
            and not self.criteria
            and not self.fixed
            and not self.broken
            and self.image is None
            and self.suite is None
            and self.findings is None
        )


def _passed(report: Report | None) -> dict[str, bool]:
    return {test.id: test.passed for test in report.hidden_tests} if report else {}


def _points(report: Report | None) -> dict[str, tuple[str, float | None]]:
    return {c.id: (c.title, c.points) for c in report.criteria} if report else {}


def changes(before: Report | None, after: Report | None) -> Change:
    """Points, tests, lint and versions that differ from ``before`` to ``after``."""
    old, new = _points(before), _points(after)
    criteria = [
        (new.get(key, old.get(key, (key, None)))[0], old.get(key, ("", None))[1], points)
        for key, (_title, points) in new.items()
        if old.get(key, ("", None))[1] != points
    ]
    criteria += [(title, points, None) for key, (title, points) in old.items() if key not in new]
    was, now = _passed(before), _passed(after)
    fixed = sorted(test for test, ok in now.items() if ok and was.get(test) is False)
    broken = sorted(test for test, ok in now.items() if not ok and was.get(test) is True)

    def versions(report: Report | None) -> tuple[str, str]:
        if report is None or report.reproducibility is None:
            return "", ""
        return report.reproducibility.image, report.reproducibility.hidden_suite_sha256

    (old_image, old_suite), (new_image, new_suite) = versions(before), versions(after)
    old_lint = before.static.findings_total if before and before.static else None
    new_lint = after.static.findings_total if after and after.static else None
    return Change(
        total=(before.total if before else None, after.total if after else None),
        criteria=criteria,
        fixed=fixed,
        broken=broken,
        image=(old_image, new_image) if old_image != new_image and old_image else None,
        suite=(old_suite, new_suite) if old_suite != new_suite and old_suite else None,
        findings=(old_lint, new_lint)
        if old_lint is not None and new_lint is not None and old_lint != new_lint
        else None,
    )
