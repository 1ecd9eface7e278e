"""Assay's own import contracts: the engine stays a library the service and the CLI build on."""

from pathlib import Path

from importlinter import configuration
from importlinter.application import use_cases

CONTRACTS = Path(__file__).resolve().parents[1] / "platform" / "importlinter.ini"


def test_the_platform_keeps_its_import_contracts() -> None:
    configuration.configure()
    kept = use_cases.lint_imports(config_filename=str(CONTRACTS), cache_dir=None, no_logo=True)
    assert kept, f"lint-imports --config {CONTRACTS} names the broken contract"
