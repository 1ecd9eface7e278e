"""Work out how to run a submission that need not follow the scaffold, without running it."""

import ast
import tomllib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from assay import requirements, syntax
from assay.grading import launch
from assay.grading.report import Detection
from assay.tree import Tree

NOT_THE_APP = {"tests", "test", "migrations", "alembic"}
PREFERRED_NAMES = ("main.py", "app.py", "api.py", "server.py", "asgi.py")


@dataclass(frozen=True)
class Candidate:
    path: Path
    attribute: str
    factory: bool


def _is_fastapi_call(node: ast.expr | None) -> bool:
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    return name == "FastAPI"


def _factories(tree: ast.Module) -> list[str]:
    """Module-level functions that build a FastAPI app."""
    return [
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef)
        and any(isinstance(child, ast.Call) and _is_fastapi_call(child) for child in ast.walk(node))
    ]


def _apps_in(tree: ast.Module) -> list[tuple[str, bool]]:
    """Module-level app instances (``FastAPI(...)`` or a local factory's result), then factories."""
    factories = _factories(tree)
    found: list[tuple[str, bool]] = []
    for node in tree.body:
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        else:
            continue
        if _is_fastapi_call(value) or (
            isinstance(value, ast.Call) and getattr(value.func, "id", None) in factories
        ):
            found += [(target.id, False) for target in targets if isinstance(target, ast.Name)]
    return found + [(name, True) for name in factories]


def _defines(module: ast.Module, attribute: str) -> bool:
    for node in module.body:
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == attribute for t in targets):
                return True
        if isinstance(node, ast.FunctionDef | ast.ImportFrom) and attribute in _names(node):
            return True
    return False


def _names(node: ast.FunctionDef | ast.ImportFrom) -> set[str]:
    if isinstance(node, ast.FunctionDef):
        return {node.name}
    return {alias.asname or alias.name for alias in node.names}


def _module_of(relative: Path) -> tuple[str, str | None]:
    parts = list(relative.with_suffix("").parts)
    app_dir = None
    if parts[0] == "src" and len(parts) > 1:
        app_dir, parts = "src", parts[1:]
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts), app_dir


def _rank(root: Path, candidate: Candidate) -> tuple[int, int, int, str]:
    relative = candidate.path.relative_to(root)
    preferred = candidate.path.name in PREFERRED_NAMES
    return (int(candidate.factory), len(relative.parts), int(not preferred), str(relative))


def find_app(tree: Tree) -> list[Candidate]:
    candidates = []
    for entry in tree.files:
        if entry.relative.suffix != ".py" or NOT_THE_APP.intersection(entry.relative.parts[:-1]):
            continue
        module = _parsed(entry.path)
        if module is None:
            continue
        candidates += [Candidate(entry.path, name, factory) for name, factory in _apps_in(module)]
    return sorted(candidates, key=lambda candidate: _rank(tree.root, candidate))


def declared_requirements(tree: Tree) -> dict[str, str]:
    """What the submission says it needs (name -> requirement), from its top-level
    requirements files and pyproject."""
    lines: list[str] = []
    for entry in tree.files:
        name = entry.relative.name
        if len(entry.relative.parts) != 1:
            continue
        text = entry.path.read_text(encoding="utf-8", errors="replace")
        if name.startswith("requirements") and name.endswith(".txt"):
            lines += text.splitlines()
        elif name == "pyproject.toml":
            try:
                project = tomllib.loads(text).get("project", {})
            except tomllib.TOMLDecodeError:
                project = {}
            dependencies = project.get("dependencies") if isinstance(project, dict) else None
            if isinstance(dependencies, list):
                lines += [str(item) for item in dependencies]
    return requirements.by_name(lines)


def detect(tree: Tree, *, entrypoint: str | None) -> Detection:
    """Find the app, unless the problem names its processes."""
    names = {str(entry.relative) for entry in tree.files}
    detection = Detection(migrations="alembic.ini" in names)
    if entrypoint is not None:
        _find_entrypoint(tree, entrypoint, detection)
        if not detection.migrations:
            detection.notes.append("no alembic.ini: migrations were not run")
    return detection


def beyond(tree: Tree, packages: frozenset[str]) -> dict[str, str]:
    """The requirements the submission declares that the image does not hold."""
    wanted = declared_requirements(tree)
    return {name: line for name, line in wanted.items() if name not in packages}


def _find_entrypoint(tree: Tree, entrypoint: str, detection: Detection) -> None:
    module, _, attribute = entrypoint.partition(":")
    wanted = PurePosixPath(*module.split(".")).with_suffix(".py")
    scaffold = next((entry.path for entry in tree.files if entry.relative == wanted), None)
    parsed = _parsed(scaffold) if scaffold is not None else None
    if parsed is not None and _defines(parsed, attribute):
        detection.entrypoint, detection.entrypoint_source = entrypoint, "scaffold"
    elif started := _first_resolved(tree):
        command, found = started
        detection.entrypoint, detection.entrypoint_source = found.entrypoint, "declared"
        detection.app_dir, detection.factory = found.app_dir, found.factory
        detection.notes.append(
            f"{entrypoint} not found; started {found.entrypoint} as the {command.source} "
            f"does: {command.command[:160]}"
        )
    elif candidates := find_app(tree):
        best = candidates[0]
        dotted, app_dir = _module_of(best.path.relative_to(tree.root))
        detection.entrypoint = f"{dotted}:{best.attribute}"
        detection.entrypoint_source = "detected"
        detection.app_dir, detection.factory = app_dir, best.factory
        kind = "factory" if best.factory else "app"
        detection.notes.append(
            f"{entrypoint} not found; detected FastAPI {kind} {detection.entrypoint}"
            + (f" (app dir {app_dir})" if app_dir else "")
        )
    else:
        detection.notes.append(f"{entrypoint} not found and no FastAPI app detected")


@dataclass(frozen=True)
class Started:
    entrypoint: str
    app_dir: str | None
    factory: bool


def _first_resolved(tree: Tree) -> tuple[launch.Declared, Started] | None:
    files = {entry.relative: entry.path for entry in tree.files}
    for command in launch.declared(tree):
        found = _resolve(files, command)
        if found is not None:
            return command, found
    return None


def _resolve(files: dict[PurePosixPath, Path], command: launch.Declared) -> Started | None:
    """The app a start command names, when the submission has it."""
    if command.path is not None:
        path = files.get(PurePosixPath(command.path))
        module = _parsed(path) if path is not None else None
        apps = [name for name, factory in _apps_in(module) if not factory] if module else []
        if not apps:
            return None
        dotted, app_dir = _module_of(Path(command.path))
        return Started(f"{dotted}:{apps[0]}", app_dir, factory=False)
    if command.module is None or command.attribute is None:
        return None
    relative = PurePosixPath(*command.module.split("."))
    wanted = [relative.with_suffix(".py"), relative / "__init__.py"]
    base = PurePosixPath(command.app_dir or ".")
    app_dir = command.app_dir
    found = next((base / name for name in wanted if base / name in files), None)
    if found is None and command.app_dir is None:
        # the command runs in a folder of its own (a Dockerfile's WORKDIR, a ``cd``)
        inside = sorted(
            (len(known.parts), known, name)
            for known in files
            for name in wanted
            if known.parts[-len(name.parts) :] == name.parts and known != name
        )
        if inside:
            _, found, name = inside[0]
            app_dir = str(PurePosixPath(*found.parts[: -len(name.parts)]))
    module = _parsed(files[found]) if found is not None else None
    if module is None or not _defines(module, command.attribute):
        return None
    factory = command.factory or command.attribute in _factories(module)
    return Started(f"{command.module}:{command.attribute}", app_dir, factory)


def _parsed(path: Path) -> ast.Module | None:
    return syntax.parse_submitted(path.read_text(encoding="utf-8", errors="replace"))
