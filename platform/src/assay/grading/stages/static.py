"""Static analysis of the read-only source: ruff, complexity, docs, hints, import contracts.

The tools are the grader's and read nothing of the submission but its files; when one of them
fails, that is the grader's fault: the stage ends in error with the tool's output, and the
grading is not scored, rather than the candidate losing the points.
"""

import json
from collections import Counter
from typing import Any

from assay.errors import PlatformError
from assay.grading.context import Run
from assay.grading.report import Contract, LintFinding, Stage, StageStatus, StaticAnalysis
from assay.sandbox.pod import Role

FINDINGS_LISTED = 200


def _tool(run: Run, stage: Stage, script: str, *args: str, output: str) -> dict[str, Any]:
    target = run.scratch(output)
    argv = ["python", "-I", run.toolkit(script), *args, str(target)]
    result = run.pod.run(Role.tester, argv, timeout=run.problem.spec.deadlines.static)
    stage.log = result.output
    text = run.pod.read_text(Role.tester, target) if result.ok else None
    if text is None:
        raise PlatformError(f"{script} {result.why()}; its output is in the stage log")
    try:
        data: dict[str, Any] = json.loads(text)
    except ValueError as error:
        raise PlatformError(f"{script} wrote unreadable output: {error}") from error
    return data


def lint(run: Run) -> None:
    paths = run.pod.paths
    with run.stage("static analysis") as stage:
        data = _tool(
            run,
            stage,
            "static_report.py",
            str(paths.source),
            str(paths.toolkit / "lint.toml"),
            output="static.json",
        )
        findings = [LintFinding.model_validate(item) for item in data.pop("findings")]
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


def contracts(run: Run) -> None:
    if not (run.problem.evaluation / "contracts.ini").is_file():
        return
    paths = run.pod.paths
    with run.stage("architecture") as stage:
        result = _tool(
            run,
            stage,
            "architecture.py",
            str(paths.evaluation / "contracts.ini"),
            str(paths.source),
            output="architecture.json",
        )
        run.report.contracts = [Contract.model_validate(c) for c in result["contracts"]]
        kept = sum(contract.kept for contract in run.report.contracts)
        stage.summary = f"{kept}/{len(run.report.contracts)} import contracts kept"
        if kept < len(run.report.contracts):
            stage.status = StageStatus.failed


def analyse(run: Run) -> None:
    lint(run)
    contracts(run)
