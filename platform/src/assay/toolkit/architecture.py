"""Check import-linter contracts against a submission without importing it.

Usage: architecture.py CONTRACTS_INI SOURCE_DIR OUTPUT_JSON
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
from pathlib import Path
from typing import Any

from importlinter import configuration
from importlinter.application import use_cases

DETAIL_CAP = 4000


def check(contracts: Path, source: Path) -> dict[str, Any]:
    sys.path.insert(0, str(source))
    configuration.configure()
    options = use_cases.read_user_options(config_filename=str(contracts))
    roots = options.session_options["root_packages"]
    missing = [root for root in roots if not (source / root).is_dir()]
    names = [
        str(contract.get("name", contract.get("id"))) for contract in options.contracts_options
    ]
    if missing:
        reason = (
            f"package {', '.join(missing)} not found: the contracts expect the scaffold's layout"
        )
        return {"contracts": [{"name": name, "kept": False, "detail": reason} for name in names]}
    try:
        use_cases._register_contract_types(options)
        report = use_cases.create_report(options, cache_dir=None)
    except Exception as error:
        reason = f"could not analyse imports: {type(error).__name__}: {error}"
        return {"contracts": [{"name": name, "kept": False, "detail": reason} for name in names]}
    if report.invalid_contract_options:
        raise SystemExit(f"invalid contracts (a grader bug): {report.invalid_contract_options}")
    results = []
    for contract, outcome in report.get_contracts_and_checks():
        detail = ""
        if not outcome.kept:
            captured = io.StringIO()
            with contextlib.redirect_stdout(captured):
                contract.render_broken_contract(outcome)
            detail = captured.getvalue()[:DETAIL_CAP]
        results.append({"name": contract.name, "kept": outcome.kept, "detail": detail})
    return {"contracts": results}


if __name__ == "__main__":
    contracts_ini, source_dir, output = (Path(arg) for arg in sys.argv[1:4])
    output.write_text(json.dumps(check(contracts_ini, source_dir)), encoding="utf-8")
