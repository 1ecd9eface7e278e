"""Check import-linter contracts against a submission without importing it.

Usage: python -I architecture.py CONTRACTS_INI SOURCE_DIR OUTPUT_JSON

The submission is never put on ``sys.path``: a finder answers only for the contracts' root
packages, so no module the submission ships can stand in for one this tool imports. A crash
of the checker exits non-zero with its traceback, for the grader to report as its own fault.
"""

from __future__ import annotations

import ast
import contextlib
import importlib.abc
import importlib.machinery
import io
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

from grimp.exceptions import NotATopLevelModule, SourceSyntaxError
from importlinter import configuration
from importlinter.application import use_cases

DETAIL_CAP = 4000
NAMED_MODULES = ("layers", "source_modules", "modules")


class RootPackages(importlib.abc.MetaPathFinder):
    """Find the named top-level packages in the submission, and nothing else there."""

    def __init__(self, source: Path, roots: set[str]) -> None:
        self.source = str(source)
        self.roots = roots

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if path is not None or fullname not in self.roots:
            return None
        return importlib.machinery.PathFinder.find_spec(fullname, [self.source])


def broken(names: list[str], reason: str) -> dict[str, Any]:
    return {"contracts": [{"name": name, "kept": False, "detail": reason} for name in names]}


def named_modules(contract: dict[str, Any]) -> list[str]:
    """The modules a contract constrains; optional layers (in parentheses) are left out."""
    names: list[str] = []
    for key in NAMED_MODULES:
        for entry in contract.get(key, []):
            text = str(entry).strip()
            if text.startswith("("):
                continue
            names += [part.strip() for part in text.replace(":", "|").split("|") if part.strip()]
    return names


def defines_code(source: Path, module: str) -> bool:
    """Whether a module, or any module under a package, defines a function or a class."""
    base = source.joinpath(*module.split("."))
    files = sorted(base.rglob("*.py")) if base.is_dir() else [base.with_suffix(".py")]
    for file in files:
        try:
            tree = ast.parse(file.read_bytes())
        except (OSError, SyntaxError, ValueError):
            continue
        kinds = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
        if any(isinstance(node, kinds) for node in ast.walk(tree)):
            return True
    return False


def hollow(contract: dict[str, Any], source: Path) -> str | None:
    """Why a contract holds only vacuously: modules it constrains hold no code. One big module
    beside empty layer packages keeps every layering contract without being layered."""
    empty = [module for module in named_modules(contract) if not defines_code(source, module)]
    if not empty:
        return None
    return (
        f"{', '.join(empty)} define{'s' if len(empty) == 1 else ''} no function or class: "
        "a contract over empty modules is kept by any code, so it counts as broken"
    )


def check(contracts: Path, source: Path) -> dict[str, Any]:
    configuration.configure()
    options = use_cases.read_user_options(config_filename=str(contracts))
    roots = options.session_options["root_packages"]
    specs = options.contracts_options
    names = [str(spec.get("name", spec.get("id"))) for spec in specs]
    missing = [root for root in roots if not (source / root).is_dir()]
    if missing:
        reason = (
            f"package {', '.join(missing)} not found: the contracts expect the layout "
            "the statement names"
        )
        return broken(names, reason)
    sys.meta_path.append(RootPackages(source, set(roots)))
    use_cases._register_contract_types(options)
    try:
        report = use_cases.create_report(options, cache_dir=None)
    except (SourceSyntaxError, NotATopLevelModule) as error:
        # The submission's own fault: its package does not parse, or is not a package.
        return broken(names, f"the imports could not be read: {error}")
    if report.invalid_contract_options:
        raise SystemExit(f"invalid contracts (a grader bug): {report.invalid_contract_options}")
    hollows = {name: hollow(spec, source) for name, spec in zip(names, specs, strict=True)}
    results = []
    for contract, outcome in report.get_contracts_and_checks():
        kept, detail = outcome.kept, hollows.get(contract.name) or ""
        if not kept:
            captured = io.StringIO()
            with contextlib.redirect_stdout(captured):
                contract.render_broken_contract(outcome)
            detail = captured.getvalue()[:DETAIL_CAP]
        results.append({"name": contract.name, "kept": kept and not detail, "detail": detail})
    return {"contracts": results}


if __name__ == "__main__":
    contracts_ini, source_dir, output = (Path(arg) for arg in sys.argv[1:4])
    output.write_text(json.dumps(check(contracts_ini, source_dir)), encoding="utf-8")
