"""Measure a submission's source without importing it: ruff, complexity, docs and hints.

Usage: python -I static_report.py SOURCE_DIR RUFF_CONFIG OUTPUT_JSON

Ruff reads only the grader's configuration. A ``# noqa: CODE`` comment on the line of a finding
with that code is honoured, as a reviewer would accept a named exception; a bare ``# noqa`` or a
file-wide ``# ruff: noqa`` is not, and the files that carry one are listed.
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

SKIPPED_DIRS = {".git", ".venv", "venv", "node_modules", "__pycache__", "site-packages"}
NOT_PRODUCT = {"tests", "test", "migrations", "alembic"}
LISTED = 20
NOQA_CODES = re.compile(r"#\s*noqa:\s*([A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*)", re.IGNORECASE)
BLANKET_NOQA = re.compile(r"#\s*(?:noqa(?!\s*:)|(?:ruff|flake8)\s*:\s*noqa)", re.IGNORECASE)


@dataclass
class Definitions:
    public: int = 0
    documented: int = 0
    missing_docstrings: list[str] = field(default_factory=list)
    slots: int = 0
    annotated: int = 0
    complexity: dict[str, int] = field(default_factory=dict)


def python_files(root: Path) -> list[Path]:
    return sorted(
        path
        for path in root.rglob("*.py")
        if not SKIPPED_DIRS.intersection(path.relative_to(root).parts)
    )


def is_product(path: Path, root: Path) -> bool:
    parts = path.relative_to(root).parts
    name = parts[-1]
    return (
        not NOT_PRODUCT.intersection(parts[:-1])
        and not name.startswith("test_")
        and name != "conftest.py"
    )


def code_lines(text: str) -> int:
    return sum(1 for line in text.splitlines() if line.strip() and not line.strip().startswith("#"))


def own_nodes(node: ast.AST) -> list[ast.AST]:
    """Every node inside ``node`` except what belongs to functions or classes nested in it."""
    found = []
    pending = list(ast.iter_child_nodes(node))
    while pending:
        child = pending.pop()
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda):
            continue
        found.append(child)
        pending.extend(ast.iter_child_nodes(child))
    return found


def cyclomatic(node: ast.AST) -> int:
    """McCabe complexity: one plus each decision point inside the function's own body."""
    score = 1
    for child in own_nodes(node):
        decisions = ast.If | ast.For | ast.AsyncFor | ast.While | ast.IfExp | ast.ExceptHandler
        if isinstance(child, decisions | ast.match_case):
            score += 1
        elif isinstance(child, ast.BoolOp):
            score += len(child.values) - 1
        elif isinstance(child, ast.comprehension):
            score += 1 + len(child.ifs)
    return score


def annotation_slots(node: ast.FunctionDef | ast.AsyncFunctionDef) -> tuple[int, int]:
    args = [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]
    args = [arg for arg in args if arg.arg not in ("self", "cls")]
    extras = [arg for arg in (node.args.vararg, node.args.kwarg) if arg is not None]
    params = args + extras
    slots = len(params) + 1
    annotated = sum(1 for arg in params if arg.annotation is not None)
    annotated += 1 if node.returns is not None or node.name == "__init__" else 0
    return slots, annotated


def inspect_module(tree: ast.Module, label: str, found: Definitions) -> None:
    found.public += 1
    if ast.get_docstring(tree):
        found.documented += 1
    elif len(found.missing_docstrings) < LISTED:
        found.missing_docstrings.append(f"{label} (module)")
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            continue
        where = f"{label}:{node.lineno} {node.name}"
        if not node.name.startswith("_"):
            found.public += 1
            if ast.get_docstring(node):
                found.documented += 1
            elif len(found.missing_docstrings) < LISTED:
                found.missing_docstrings.append(where)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            slots, annotated = annotation_slots(node)
            found.slots += slots
            found.annotated += annotated
            found.complexity[where] = cyclomatic(node)


def _ruff(args: list[str], root: Path, config: Path) -> list[dict[str, object]]:
    # The submission's own packages are first-party for import sorting, wherever ruff runs.
    first_party = f"src = [{str(root)!r}, {str(root / 'src')!r}]"
    argv = ["ruff", *args, "--config", str(config), "--config", first_party]
    argv += ["--no-cache", "--output-format", "json"]
    done = subprocess.run([*argv, str(root)], capture_output=True, text=True, check=False)
    failed = SystemExit(f"ruff {args[0]} failed ({done.returncode}): {done.stderr[-2000:]}")
    # Syntax errors exit 2 with findings; a ruff that crashed (a stack overflow on deeply
    # nested source aborts it) wrote nothing, and its silence is not "no findings".
    if done.returncode not in (0, 1, 2):
        raise failed
    try:
        findings: list[dict[str, object]] = json.loads(done.stdout or "[]")
    except ValueError:
        raise failed from None
    return findings


def allowed_codes(line: str) -> set[str]:
    """The codes a ``# noqa: A1, B2`` comment on this line names."""
    match = NOQA_CODES.search(line)
    return set(re.split(r"[\s,]+", match.group(1).upper())) if match else set()


def run_ruff(root: Path, config: Path) -> tuple[list[dict[str, object]], list[str], int]:
    """Findings the grader counts, files ruff would reformat, findings excused by a noqa."""
    lines: dict[str, list[str]] = {}
    counted, excused = [], 0
    for item in _ruff(["check", "--exit-zero", "--ignore-noqa"], root, config):
        filename = str(item["filename"])
        code = str(item.get("code") or "syntax-error")
        row = int(item.get("noqa_row") or item["location"]["row"])  # type: ignore[index]
        if filename not in lines:
            source = Path(filename).read_text(encoding="utf-8", errors="replace")
            lines[filename] = source.split("\n")
        text = lines[filename][row - 1] if 0 < row <= len(lines[filename]) else ""
        if code in allowed_codes(text):
            excused += 1
            continue
        counted.append(
            {
                "code": code,
                "message": item["message"],
                "file": str(Path(filename).relative_to(root)),
                "line": item["location"]["row"],  # type: ignore[index]
            }
        )
    unformatted = sorted(
        {
            str(Path(str(item["filename"])).relative_to(root))
            for item in _ruff(["format", "--check"], root, config)
            if item.get("code") == "unformatted"
        }
    )
    return counted, unformatted, excused


def blanket_noqa(text: str) -> bool:
    return any(BLANKET_NOQA.search(line) for line in text.splitlines() if "#" in line)


def parse(text: str, label: str) -> ast.Module | str:
    """The module's tree, or why it does not parse (deep nesting and NUL bytes included)."""
    try:
        return ast.parse(text, filename=label)
    except SyntaxError as error:
        return f"{label}:{error.lineno}: {error.msg}"
    except (RecursionError, MemoryError, ValueError) as error:
        return f"{label}: {type(error).__name__}: {error}"


def measure(root: Path, config: Path) -> dict[str, object]:
    root = root.resolve()
    files = python_files(root)
    found = Definitions()
    lines = 0
    syntax_errors: list[str] = []
    blanket: list[str] = []
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        lines += code_lines(text)
        label = str(path.relative_to(root))
        if blanket_noqa(text):
            blanket.append(label)
        tree = parse(text, label)
        if isinstance(tree, str):
            syntax_errors.append(tree)
        elif is_product(path, root):
            inspect_module(tree, label, found)
    findings, unformatted, excused = run_ruff(root, config)
    complexities = sorted(found.complexity.items(), key=lambda item: -item[1])
    return {
        "files": len(files),
        "code_lines": lines,
        "syntax_errors": syntax_errors,
        "findings": findings,
        "excused_by_noqa": excused,
        "blanket_noqa": blanket[:LISTED],
        "unformatted": unformatted,
        "functions": len(complexities),
        "mean_complexity": (
            sum(value for _, value in complexities) / len(complexities) if complexities else None
        ),
        "max_complexity": complexities[0][1] if complexities else None,
        "most_complex": [
            {"where": where, "complexity": value} for where, value in complexities[:5]
        ],
        **{key: value for key, value in asdict(found).items() if key != "complexity"},
    }


if __name__ == "__main__":
    source, ruff_config, output = (Path(arg) for arg in sys.argv[1:4])
    output.write_text(json.dumps(measure(source, ruff_config)), encoding="utf-8")
