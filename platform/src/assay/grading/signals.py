"""Derive rubric signals from a report's evidence, each with the sentence that explains it."""

import re
from collections import defaultdict

from assay.grading.report import (
    HiddenTest,
    LoadTest,
    Mutation,
    Report,
    SelfTests,
    StaticAnalysis,
)
from assay.grading.scoring import Signal

TOP_RULES = 5
NAMED_FAILURES = 6
SECURITY_RULE = re.compile(r"S\d+$")


def _ratio(part: float, whole: float) -> float:
    return part / whole if whole else 0.0


def _failures(tests: list[HiddenTest]) -> str:
    """Name the visible failures; reviewer-only ones are only counted."""
    named = [test.id.rsplit("::", 1)[-1] for test in tests if not test.passed and test.visible]
    unnamed = sum(not test.passed and not test.visible for test in tests)
    parts = []
    if named:
        shown = ", ".join(named[:NAMED_FAILURES])
        parts.append(f"failed: {shown}" + (" ..." if len(named) > NAMED_FAILURES else ""))
    if unnamed:
        parts.append(f"{unnamed} reviewer-only failed")
    return "".join(f"; {part}" for part in parts)


def hidden_signals(tests: list[HiddenTest]) -> dict[str, Signal]:
    groups: dict[str, list[HiddenTest]] = defaultdict(list)
    for test in tests:
        groups[test.category].append(test)
    groups["all"] = list(tests)
    signals = {}
    for category, members in groups.items():
        weight = sum(test.weight for test in members)
        passed = sum(test.weight for test in members if test.passed)
        note = f"{passed:g} of {weight:g} weighted {category} tests passed"
        signals[f"hidden.{category}"] = Signal(_ratio(passed, weight), note + _failures(members))
    return signals


def selftest_signals(selftests: SelfTests | None) -> dict[str, Signal]:
    if selftests is None:
        return {}
    ran = selftests.passed + selftests.failed
    signals = {
        "selftest.test_count": Signal(
            float(selftests.collected), f"{selftests.collected} own tests collected"
        ),
        "selftest.pass_ratio": Signal(
            _ratio(selftests.passed, ran) if ran else 0.0,
            f"{selftests.passed} of {ran} own tests passed (self-reported)",
        ),
    }
    if selftests.line_coverage is not None:
        signals["selftest.line_coverage"] = Signal(
            selftests.line_coverage,
            f"{selftests.covered_statements} of {selftests.statements} statements covered",
        )
    if selftests.branch_coverage is not None:
        signals["selftest.branch_coverage"] = Signal(
            selftests.branch_coverage,
            f"{selftests.covered_branches} of {selftests.branches} branches covered",
        )
    mutation = selftests.mutation
    if mutation is not None and mutation.score is not None:
        signals["selftest.mutation_score"] = Signal(mutation.score, _mutation_note(mutation))
    return signals


def _mutation_note(mutation: Mutation) -> str:
    note = (
        f"{mutation.killed} of {len(mutation.mutants)} sampled mutants killed "
        f"({mutation.candidates} possible on covered lines)"
    )
    survived = [f"{m.file}:{m.line}" for m in mutation.mutants if not m.killed]
    if survived:
        shown = ", ".join(survived[:NAMED_FAILURES])
        note += f"; survived: {shown}" + (" ..." if len(survived) > NAMED_FAILURES else "")
    return note


def static_signals(static: StaticAnalysis | None) -> dict[str, Signal]:
    if static is None or not static.files:
        return {}
    kloc = max(static.code_lines / 1000, 0.1)
    rules = sorted(static.findings_by_rule.items(), key=lambda item: -item[1])[:TOP_RULES]
    top = ", ".join(f"{code} x{count}" for code, count in rules) or "none"
    security = {code: n for code, n in static.findings_by_rule.items() if SECURITY_RULE.match(code)}
    clean = static.files - len(static.unformatted)
    signals = {
        "static.lint_per_kloc": Signal(
            static.findings_total / kloc,
            f"{static.findings_total} ruff findings in {static.code_lines} lines ({top})",
        ),
        "static.security_findings": Signal(
            float(sum(security.values())),
            f"security rules: {', '.join(f'{c} x{n}' for c, n in security.items()) or 'none'}",
        ),
        "static.format_clean": Signal(
            _ratio(clean, static.files), f"{clean} of {static.files} files formatted as ruff format"
        ),
        "static.docstring_ratio": Signal(
            _ratio(static.documented, static.public),
            f"{static.documented} of {static.public} public modules, classes and functions",
        ),
        "static.type_hint_ratio": Signal(
            _ratio(static.annotated, static.slots),
            f"{static.annotated} of {static.slots} parameters and returns annotated",
        ),
    }
    if static.mean_complexity is not None and static.max_complexity is not None:
        worst = static.most_complex[0].where if static.most_complex else ""
        signals["static.mean_complexity"] = Signal(
            static.mean_complexity, f"mean over {static.functions} functions"
        )
        signals["static.max_complexity"] = Signal(
            float(static.max_complexity), f"most complex: {worst}"
        )
    return signals


def contract_signals(report: Report) -> dict[str, Signal]:
    if not report.contracts:
        return {}
    kept = [contract.name for contract in report.contracts if contract.kept]
    broken = [contract.name for contract in report.contracts if not contract.kept]
    note = f"{len(kept)} of {len(report.contracts)} import contracts kept"
    if broken:
        note += f"; broken: {', '.join(broken)}"
    return {"architecture.contracts": Signal(_ratio(len(kept), len(report.contracts)), note)}


def load_signals(load: LoadTest | None) -> dict[str, Signal]:
    if load is None or load.figures is None:
        return {}
    mine = load.figures
    signals = {
        "load.p95_ms": Signal(mine.p95_ms, f"p95 {mine.p95_ms:g} ms over {mine.requests} requests"),
        "load.rps": Signal(mine.rps, f"{mine.rps:.1f} requests/s with {load.users} users"),
        "load.failure_rate": Signal(
            mine.failure_rate, f"{mine.failures} of {mine.requests} requests failed"
        ),
    }
    if load.peak_memory_mb is not None:
        signals["load.peak_memory_mb"] = Signal(load.peak_memory_mb, "peak memory of the app")
    ref = load.reference
    if ref is not None and mine.requests and mine.failure_rate < 1.0:
        against = f"({load.reference_source})"
        signals["load.p50_ratio"] = Signal(
            mine.p50_ms / max(ref.p50_ms, 1.0),
            f"p50 {mine.p50_ms:g} ms vs reference {ref.p50_ms:g} ms {against}",
        )
        signals["load.p95_ratio"] = Signal(
            mine.p95_ms / max(ref.p95_ms, 1.0),
            f"p95 {mine.p95_ms:g} ms vs reference {ref.p95_ms:g} ms {against}",
        )
        signals["load.rps_ratio"] = Signal(
            _ratio(mine.rps, ref.rps),
            f"{mine.rps:.1f} vs reference {ref.rps:.1f} requests/s {against}",
        )
    return signals


def derive(report: Report) -> dict[str, Signal]:
    return {
        **hidden_signals(report.hidden_tests),
        **selftest_signals(report.selftests),
        **static_signals(report.static),
        **contract_signals(report),
        **load_signals(report.load),
    }
