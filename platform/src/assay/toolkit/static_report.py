"""Measure a submission's source without importing it: ruff, complexity, docs and hints.

Usage: static_report.py SOURCE_DIR RUFF_CONFIG OUTPUT_JSON
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

SKIPPED_DIRS = {".git", ".venv", "venv", "node_modules", "__pycache__", "site-packages"}
NOT_PRODUCT = {"tests", "test", "migrations", "alembic"}
LISTED = 20


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


def run_ruff(root: Path, config: Path) -> tuple[list[dict[str, object]], list[str]]:
    check = subprocess.run(
        [
            "ruff",
            "check",
            "--config",
            str(config),
            "--no-cache",
            "--exit-zero",
            "--output-format",
            "json",
            str(root),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    findings = [
        {
            "code": item.get("code") or "syntax-error",
            "message": item["message"],
            "file": str(Path(item["filename"]).relative_to(root)),
            "line": item["location"]["row"],
        }
        for item in json.loads(check.stdout or "[]")
    ]
    fmt = subprocess.run(
        [
            "ruff",
            "format",
            "--config",
            str(config),
            "--no-cache",
            "--check",
            "--output-format",
            "json",
            str(root),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    unformatted = sorted(
        {str(Path(item["filename"]).relative_to(root)) for item in json.loads(fmt.stdout or "[]")}
    )
    return findings, unformatted


def measure(root: Path, config: Path) -> dict[str, object]:
    root = root.resolve()
    files = python_files(root)
    found = Definitions()
    lines = 0
    syntax_errors: list[str] = []
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        lines += code_lines(text)
        label = str(path.relative_to(root))
        try:
            tree = ast.parse(text, filename=label)
        except SyntaxError as error:
            syntax_errors.append(f"{label}:{error.lineno}: {error.msg}")
            continue
        if is_product(path, root):
            inspect_module(tree, label, found)
    findings, unformatted = run_ruff(root, config)
    complexities = sorted(found.complexity.items(), key=lambda item: -item[1])
    return {
        "files": len(files),
        "code_lines": lines,
        "syntax_errors": syntax_errors,
        "findings": findings,
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
