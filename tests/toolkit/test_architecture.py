"""architecture.py runs in the pod as a script: each case runs it the same way, on a tree."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

import assay

SCRIPT = Path(assay.__file__).parent / "toolkit" / "architecture.py"
CONTRACTS = """
[importlinter]
root_package = app

[importlinter:contract:layers]
name = Layers
type = layers
layers =
    app.api
    app.services
    (app.extras)

[importlinter:contract:core]
name = Services import no web framework
type = forbidden
source_modules =
    app.services
forbidden_modules =
    app.api
"""
LAYERED = {
    "app/__init__.py": "",
    "app/api/__init__.py": "",
    "app/api/routes.py": "from app.services import books\n\ndef index():\n    return books.all()\n",
    "app/services/__init__.py": "",
    "app/services/books.py": "def all():\n    return []\n",
}
ONE_BIG_MODULE = {
    "app/__init__.py": "",
    "app/main.py": "def index():\n    return []\n\nclass Book:\n    pass\n",
    "app/api/__init__.py": "",
    "app/services/__init__.py": '"""Business rules go here."""\n',
}


def contracts(tree: dict[str, str], tmp_path: Path) -> dict[str, dict]:
    source = tmp_path / "submission"
    for relative, text in tree.items():
        (source / relative).parent.mkdir(parents=True, exist_ok=True)
        (source / relative).write_text(text, encoding="utf-8")
    ini, output = tmp_path / "contracts.ini", tmp_path / "out.json"
    ini.write_text(CONTRACTS, encoding="utf-8")
    argv = [sys.executable, "-I", str(SCRIPT), str(ini), str(source), str(output)]
    subprocess.run(argv, check=True, cwd=tmp_path, timeout=60)
    return {item["name"]: item for item in json.loads(output.read_text())["contracts"]}


def test_layers_that_hold_code_keep_their_contracts(tmp_path: Path) -> None:
    found = contracts(LAYERED, tmp_path)
    assert {name: item["kept"] for name, item in found.items()} == {
        "Layers": True,
        "Services import no web framework": True,
    }


def test_empty_layer_packages_beside_one_big_module_keep_no_contract(tmp_path: Path) -> None:
    found = contracts(ONE_BIG_MODULE, tmp_path)
    assert [item["kept"] for item in found.values()] == [False, False]
    assert "app.api, app.services define no function or class" in found["Layers"]["detail"]


@pytest.mark.parametrize("layer", ["app/api/routes.py", "app/services/books.py"])
def test_one_hollow_layer_breaks_the_contract_that_names_it(tmp_path: Path, layer: str) -> None:
    found = contracts({**LAYERED, layer: "VALUE = 1\n"}, tmp_path)
    assert found["Layers"]["kept"] is False
    assert found["Layers"]["detail"].startswith(layer.rsplit("/", 1)[0].replace("/", "."))
