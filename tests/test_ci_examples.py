"""The CI examples in docs/ci run as written: the GitHub workflow's steps, on this machine."""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW = ROOT / "docs" / "ci" / "github-actions.yml"
INPUTS = {
    "candidate": "acme/candidate",
    "ref": "main",
    "problem": "book-reviews",
    "min_score": "70",
}
# Setting up the environment is what this suite's own bootstrap did already; rerunning it here
# would reinstall the virtualenv the tests run in.
ALREADY_DONE = {"Install Assay"}


def _expand(script: str) -> str:
    return re.sub(r"\$\{\{\s*inputs\.(\w+)\s*\}\}", lambda match: INPUTS[match.group(1)], script)


def _steps() -> list[dict[str, str]]:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    return list(workflow["jobs"]["grade"]["steps"])


def test_the_github_workflow_names_only_inputs_it_declares() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    declared = set(workflow[True]["workflow_dispatch"]["inputs"])  # YAML 1.1 reads `on` as True

    used = set(re.findall(r"inputs\.(\w+)", WORKFLOW.read_text(encoding="utf-8")))

    assert used <= declared == set(INPUTS)


@pytest.mark.docker
def test_the_github_workflow_grades_a_candidate_repository(tmp_path: Path) -> None:
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    for name in ("platform", "problems", "starter-code", "evaluation", "examples", ".venv"):
        (workspace / name).symlink_to(ROOT / name)
    # what the candidate checkout step leaves
    shutil.copytree(ROOT / "examples" / "book-reviews", workspace / "candidate")
    summary = tmp_path / "step-summary.md"
    env = {**os.environ, "GITHUB_STEP_SUMMARY": str(summary)}

    outputs = []
    for step in _steps():
        if "uses" in step or step["name"] in ALREADY_DONE:
            continue
        done = subprocess.run(
            ["bash", "-e", "-c", _expand(step["run"])],
            cwd=workspace,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        assert done.returncode == 0, f"{step['name']}: {done.stdout[-3000:]}{done.stderr[-3000:]}"
        outputs.append(done.stdout)

    assert json.loads((workspace / "report.json").read_text())["total"] >= 70
    assert (workspace / "junit.xml").read_text().startswith("<?xml")
    assert summary.read_text().startswith("## Assay: ")
