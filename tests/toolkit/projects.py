"""A candidate's project in a temporary folder, and the toolkit's scripts run over it as the
pod runs them: processes."""

import subprocess
import sys
import textwrap
from pathlib import Path

import assay

TOOLKIT = Path(assay.__file__).parent / "toolkit"
ADDER = "def add(a, b):\n    if a < 0:\n        return b\n    return a + b\n"
PASSING = "from calc import add\n\n\ndef test_adds():\n    assert add(1, 1) == 2\n"


def watched(tmp_path: Path, tests: dict[str, str], *, collect_s: float, stall_s: float) -> Path:
    """Run the watchdog over a project of ``calc.py`` and ``tests``; return its scratch folder."""
    project, scratch = tmp_path / "project", tmp_path / "scratch"
    (project / "tests").mkdir(parents=True)
    (project / "calc.py").write_text(ADDER, encoding="utf-8")
    for name, text in tests.items():
        path = project / "tests" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    argv = [sys.executable, "-I", str(TOOLKIT / "selftest.py"), str(TOOLKIT), str(scratch)]
    done = subprocess.run(
        [*argv, str(collect_s), str(stall_s)],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return scratch
