"""What a submission ships that the grader never reads or imports, named in the report.

The tester and every grading tool run isolated, outside the submission, with the grader's own
configuration, so these files change nothing. They are named anyway: the reviewer sees an
attempt, the honest candidate sees why their configuration made no difference.
"""

import configparser
import tomllib
from pathlib import PurePosixPath

from assay.tree import Tree

# Top-level modules the tester's tools import; a submission module of the same name could
# replace one of them if the submission were ever on the grader's import path.
GRADER_MODULES = frozenset(
    {
        "assay_pytest",
        "pytest",
        "_pytest",
        "py",
        "pluggy",
        "iniconfig",
        "httpx",
        "httpcore",
        "h11",
        "anyio",
        "sniffio",
        "redis",
        "psycopg",
        "psycopg_binary",
        "locust",
        "gevent",
        "importlinter",
        "grimp",
        "coverage",
        "sitecustomize",
        "usercustomize",
    }
)
CONFIG_FILES = {
    "pytest.ini": "pytest",
    "tox.ini": "pytest or coverage",
    ".coveragerc": "coverage",
    "ruff.toml": "ruff",
    ".ruff.toml": "ruff",
    ".gitignore": "ruff",  # ruff lints every file it is given, whatever the ignore files say
    ".ignore": "ruff",
    ".importlinter": "import-linter",
}
PYPROJECT_TOOLS = {"pytest": "pytest", "coverage": "coverage", "ruff": "ruff"}
SETUP_CFG_SECTIONS = {"tool:pytest": "pytest", "coverage:run": "coverage"}
NOT_READ = "not read: the grader runs {tool} with its own configuration"
NOT_USED = "its settings for {tool} are not used: the grader runs them with its own configuration"
NOT_IMPORTED = "named like a module the grader's tools import; they never import the submission"
OWN_TESTS_ONLY = "runs only with your own tests (self-reported), never with the hidden tests"
NEVER_ON_PATH = "never on the grader's import path"


def _module_name(relative: PurePosixPath, is_dir: bool) -> str | None:
    if len(relative.parts) != 1:
        return None
    if is_dir:
        return relative.name
    return relative.stem if relative.suffix == ".py" else None


def _pyproject_tools(text: str) -> list[str]:
    try:
        tools = tomllib.loads(text).get("tool", {})
    except tomllib.TOMLDecodeError:
        return []
    if not isinstance(tools, dict):
        return []
    return [name for key, name in PYPROJECT_TOOLS.items() if key in tools]


def _setup_cfg_tools(text: str) -> list[str]:
    parser = configparser.ConfigParser()
    try:
        parser.read_string(text)
    except configparser.Error:
        return []
    return [name for section, name in SETUP_CFG_SECTIONS.items() if parser.has_section(section)]


def _config_note(relative: PurePosixPath, text: str) -> str | None:
    name = relative.name
    if name in CONFIG_FILES:
        return f"{relative}: " + NOT_READ.format(tool=CONFIG_FILES[name])
    if name == "pyproject.toml":
        tools = _pyproject_tools(text)
    elif name == "setup.cfg":
        tools = _setup_cfg_tools(text)
    else:
        return None
    return f"{relative}: " + NOT_USED.format(tool=" and ".join(tools)) if tools else None


def ignored(tree: Tree) -> list[str]:
    """One sentence per file the grader saw and deliberately did not use."""
    notes = []
    for entry in tree.entries:
        relative = entry.relative
        module = _module_name(relative, entry.is_dir)
        if module in GRADER_MODULES:
            notes.append(f"{relative}: {NOT_IMPORTED}")
        elif relative.name == "conftest.py":
            notes.append(f"{relative}: {OWN_TESTS_ONLY}")
        elif relative.suffix == ".pth" or relative.suffix in (".dist-info", ".egg-info"):
            notes.append(f"{relative}: {NEVER_ON_PATH}")
        elif not entry.is_dir and len(relative.parts) <= 2:
            text = entry.path.read_text(encoding="utf-8", errors="replace")
            note = _config_note(relative, text)
            if note:
                notes.append(note)
    return notes
