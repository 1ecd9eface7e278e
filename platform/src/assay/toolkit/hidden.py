"""Run a problem's hidden suite with the grader's pytest, configuration and plugin only.

Usage: python -I hidden.py EVALUATION_DIR RESULTS_JSONL [PYTEST_ARGS...]

Started isolated (``-I``) from a folder outside the submission, so nothing the candidate ships
is on ``sys.path``; plugin autoloading is off, so no installed entry point joins in; the
configuration, rootdir and conftest search all stop at the evaluation folder.
"""

import os
import sys
from pathlib import Path

os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
# The plugin is found only in the toolkit, whose folder goes first on the path.
sys.path.insert(0, str(Path(__file__).resolve().parent / "plugin"))

import assay_pytest
import pytest


def main(evaluation: Path, results: str, extra: list[str]) -> int:
    os.environ["ASSAY_RESULTS"] = results
    config = evaluation / "pytest.ini"
    if not config.is_file():
        config = Path(__file__).resolve().parent / "hidden.ini"
    args = [
        str(evaluation / "tests"),
        "-c",
        str(config),
        f"--rootdir={evaluation}",
        f"--confcutdir={evaluation}",
        "-p",
        "no:cacheprovider",
        "-q",
        "--color=no",
        *extra,
    ]
    return int(pytest.main(args, plugins=[assay_pytest]))


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), sys.argv[2], sys.argv[3:]))
