"""Static analysis of the read-only source: ruff, complexity, docs, hints, import contracts."""

import json
from collections import Counter

from assay.errors import PlatformError
from assay.grading.context import Run
from assay.grading.report import Contract, LintFinding, StageStatus, StaticAnalysis
from assay.sandbox.pod import Role

FINDINGS_LISTED = 200


def _tool(run: Run, script: str, *args: str, output: str) -> dict[str, object] | None:
    toolkit = run.pod.paths.toolkit
    target = run.scratch(output)
    argv = ["python", str(toolkit / script), *args, str(target)]
    result = run.pod.run(Role.tester, argv, timeout=run.problem.spec.deadlines.static)
    if result.timed_out:
        return None
    text = run.pod.read_text(Role.tester, target)
    if not result.ok or text is None:
        raise PlatformError(f"{script} failed: {result.output[-2000:]}")
    data: dict[str, object] = json.loads(text)
    return data


def analyse(run: Run) -> None:
    paths = run.pod.paths
    with run.stage("static analysis") as stage:
        data = _tool(
            run,
            "static_report.py",
            ".",
            str(paths.toolkit / "lint.toml"),
            output="static.json",
        )
        if data is None:
            stage.status = StageStatus.failed
            stage.summary = "stopped at the deadline"
            return
        findings = [LintFinding.model_validate(item) for item in data.pop("findings")]  # type: ignore[attr-defined]
        static = StaticAnalysis.model_validate(
            {
                **data,
                "findings_total": len(findings),
                "findings_by_rule": dict(Counter(finding.code for finding in findings)),
                "findings": findings[:FINDINGS_LISTED],
            }
        )
        run.report.static = static
        stage.summary = (
            f"{static.findings_total} ruff findings, {len(static.unformatted)} files to reformat, "
            f"max complexity {static.max_complexity}"
        )
        if static.syntax_errors:
            stage.status = StageStatus.failed
            stage.summary = (
                f"syntax errors: {'; '.join(static.syntax_errors[:3])}; " + stage.summary
            )
    contracts = run.problem.evaluation / "contracts.ini"
    if contracts.is_file():
        with run.stage("architecture") as stage:
            result = _tool(
                run,
                "architecture.py",
                str(paths.evaluation / "contracts.ini"),
                ".",
                output="architecture.json",
            )
            if result is None:
                stage.status = StageStatus.failed
                stage.summary = "stopped at the deadline"
                return
            run.report.contracts = [Contract.model_validate(c) for c in result["contracts"]]  # type: ignore[attr-defined]
            kept = sum(contract.kept for contract in run.report.contracts)
            stage.summary = f"{kept}/{len(run.report.contracts)} import contracts kept"
            if kept < len(run.report.contracts):
                stage.status = StageStatus.failed
