"""How a submission says its app starts: the server command in its Procfile, Dockerfile,
compose file, Makefile or shell scripts, a ``uvicorn.run(...)`` in a top-level script, or the
command in its README.

A candidate who names the app outside the scaffold usually writes down how to run it; reading
that command is what a reviewer does first, and it is more reliable than guessing from the
code. Nothing here runs the command: only the module, attribute, app directory and factory
flag are taken from it, and only when the named module exists and defines the attribute.
"""

import ast
import re
import shlex
from dataclasses import dataclass
from pathlib import PurePosixPath

from assay import syntax
from assay.tree import Tree

SERVERS = ("uvicorn", "gunicorn", "hypercorn", "granian")
# Where a start command is written down, most deliberate first.
SOURCES = (
    re.compile(r"Procfile"),
    re.compile(r"(Docker|Container)file(\..+)?"),
    re.compile(r"(docker-)?compose(\..+)?\.ya?ml"),
    re.compile(r"(GNU)?[Mm]akefile|justfile"),
    re.compile(r".+\.sh"),
    re.compile(r".+\.py"),
    re.compile(r"README(\..+)?", re.IGNORECASE),
)
TARGET = re.compile(r"^(?P<module>[A-Za-z_][\w.]*):(?P<attribute>[A-Za-z_]\w*)(?P<call>\(\))?$")
FASTAPI_CLI = re.compile(r"^(?P<path>[\w./-]+\.py)$")
# Options whose value is the next word, so it is never taken for the app.
VALUED = {
    "--host",
    "--port",
    "--workers",
    "-w",
    "--bind",
    "-b",
    "-k",
    "--worker-class",
    "--env-file",
}
QUOTES = str.maketrans(dict.fromkeys("[]\",'`", " "))


@dataclass(frozen=True)
class Declared:
    """A start command's target: ``module:attribute`` (or a file for ``fastapi run``)."""

    source: str
    command: str
    module: str | None
    attribute: str | None
    path: str | None = None
    app_dir: str | None = None
    factory: bool = False


def declared(tree: Tree) -> list[Declared]:
    """Every start command the submission writes down, in the order of ``SOURCES``."""
    found: list[Declared] = []
    for pattern in SOURCES:
        for entry in sorted(tree.files, key=lambda entry: str(entry.relative)):
            if len(entry.relative.parts) != 1 or not pattern.fullmatch(entry.relative.name):
                continue
            text = entry.path.read_text(encoding="utf-8", errors="replace")
            if entry.relative.suffix == ".py":
                commands = _run_calls(text, entry.relative.name)
            else:
                commands = [_parse(line, entry.relative.name) for line in text.splitlines()]
            found += [command for command in commands if command and command not in found]
    return found


def _words(line: str) -> list[str]:
    try:
        return shlex.split(line, comments=False)
    except ValueError:
        return line.split()


def _parse(line: str, source: str) -> Declared | None:
    """A server command on one line, in any quoting (a Dockerfile's exec form, Markdown)."""
    words = _words(line.translate(QUOTES))
    app_dir = _changed_into(words)
    for index, word in enumerate(words):
        name = PurePosixPath(word).name
        if name in SERVERS:
            return _served(words[index + 1 :], source, line.strip(), app_dir)
        if name == "fastapi" and words[index + 1 : index + 2] in (["run"], ["dev"]):
            return _fastapi_cli(words[index + 2 :], source, line.strip())
    return None


def _folder(text: str) -> str | None:
    """``./src/`` as ``src``; the submission's root as None."""
    return text.strip("./") or None


def _changed_into(words: list[str]) -> str | None:
    """``cd src && uvicorn main:app``: the folder the command runs in."""
    if len(words) > 2 and words[0] == "cd" and words[2] in ("&&", ";"):
        return _folder(words[1])
    return None


def _served(words: list[str], source: str, command: str, app_dir: str | None) -> Declared | None:
    factory = False
    target = None
    skip = False
    for index, word in enumerate(words):
        if skip:
            skip = False
            continue
        if word in VALUED:
            skip = True
        elif word == "--factory":
            factory = True
        elif word == "--app-dir" and index + 1 < len(words):
            app_dir, skip = _folder(words[index + 1]), True
        elif word.startswith("--app-dir="):
            app_dir = _folder(word.partition("=")[2])
        elif target is None and (match := TARGET.match(word)):
            target = match
    if target is None:
        return None
    return Declared(
        source,
        command,
        target["module"],
        target["attribute"],
        app_dir=app_dir,
        factory=factory or target["call"] is not None,
    )


def _fastapi_cli(words: list[str], source: str, command: str) -> Declared | None:
    path = next((word for word in words if FASTAPI_CLI.match(word)), None)
    if path is None:
        return None
    return Declared(source, command, None, None, path=path.removeprefix("./"))


def _run_calls(text: str, source: str) -> list[Declared | None]:
    """``uvicorn.run("pkg.main:app", factory=True)`` or ``uvicorn.run(app)`` in a script."""
    module = syntax.parse_submitted(text)
    if module is None:
        return []
    imported = {
        alias.asname or alias.name: (node.module, alias.name)
        for node in ast.walk(module)
        if isinstance(node, ast.ImportFrom) and node.module and not node.level
        for alias in node.names
    }
    return [
        _run_call(node, source, imported)
        for node in ast.walk(module)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "run"
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "uvicorn"
    ]


def _run_call(call: ast.Call, source: str, imported: dict[str, tuple[str, str]]) -> Declared | None:
    options = {keyword.arg: keyword.value for keyword in call.keywords if keyword.arg}
    target = call.args[0] if call.args else options.get("app")
    if isinstance(target, ast.Constant) and isinstance(target.value, str):
        match = TARGET.match(target.value)
        if match is None:
            return None
        module, attribute = match["module"], match["attribute"]
    elif isinstance(target, ast.Name):
        module, attribute = imported.get(target.id, (source.removesuffix(".py"), target.id))
    else:
        return None
    factory = options.get("factory")
    return Declared(
        source,
        ast.unparse(call)[:200],
        module,
        attribute,
        app_dir=_folder(_text(options.get("app_dir"))),
        factory=isinstance(factory, ast.Constant) and factory.value is True,
    )


def _text(node: ast.expr | None) -> str:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else ""
