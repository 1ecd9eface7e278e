"""Work out how a submission expects to be configured, and configure it for the pod.

Real solutions read ``POSTGRES_HOST`` or ``DB_NAME`` where the scaffold reads
``DATABASE_URL``, keep their settings in a ``.env`` file or a pydantic settings class, name
their own database and role in ``alembic.ini``, or reach Redis at ``redis`` because that was
their compose service. Read as a reviewer would (without running anything), every variable the
submission reads is found with where it came from; each that names the database or the cache
gets a value pointing at the pod's, in the form it expects (a URL with its own driver, or
host/port pairs); hosts it names get an alias to the loopback, and roles and databases it hard
codes are made. Where the inference is wrong, a reviewer pins values of their own, which win
over everything. Every inference and every pinned value is written in the report.
"""

import ast
import configparser
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import yaml

from assay import syntax
from assay.errors import InvalidInput
from assay.sandbox.infra import Login
from assay.tree import Tree

ENV_FILES = (".env", ".env.example", ".env.sample", ".env.dist", "example.env", ".env.template")
COMPOSE_FILES = ("docker-compose.yml", "docker-compose.yaml", "compose.yml", "compose.yaml")
ALIASES = ("db", "database", "postgres", "postgresql", "pg", "redis", "cache")
IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")
HOSTNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.-]{0,62}$")
DB_PREFIX = r"(?:POSTGRES(?:QL)?|PG|DB|DATABASE|SQL)"
DB_URL = re.compile(rf"^(?:\w+_)?(?:{DB_PREFIX}|SQLALCHEMY_DATABASE)_?(?:URL|URI|DSN)$")
DB_PART = {
    "user": re.compile(rf"^{DB_PREFIX}_?(?:USER|USERNAME)$|^PGUSER$"),
    "password": re.compile(rf"^{DB_PREFIX}_?(?:PASSWORD|PASS|PWD)$|^PGPASSWORD$"),
    "host": re.compile(rf"^{DB_PREFIX}_?(?:HOST|HOSTNAME|SERVER)$|^PGHOST$"),
    "port": re.compile(rf"^{DB_PREFIX}_?PORT$|^PGPORT$"),
    "name": re.compile(rf"^{DB_PREFIX}_?(?:NAME|DB|DATABASE)$|^POSTGRES_DB$|^PGDATABASE$"),
}
REDIS_URL = re.compile(r"^(?:\w+_)?(?:REDIS|CACHE)_?(?:URL|URI|DSN)$")
REDIS_PART = {
    "host": re.compile(r"^(?:REDIS|CACHE)_?HOST$"),
    "port": re.compile(r"^(?:REDIS|CACHE)_?PORT$"),
    "name": re.compile(r"^(?:REDIS|CACHE)_?DB$"),
}
ENV_CALLS = {"getenv", "get", "config", "env", "str", "int"}
PLACEHOLDER = re.compile(r"\{(\w+)\}")
ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
MAX_OVERRIDES = 50
MAX_NAME = 100
MAX_VALUE = 2000
RESERVED_PREFIX = "ASSAY_"  # the grader's own variables, and the tester's copy of the app's


@dataclass(frozen=True)
class Variable:
    name: str
    source: str
    example: str | None = None


@dataclass
class Discovered:
    variables: dict[str, Variable] = field(default_factory=dict)
    logins: dict[Login, str] = field(default_factory=dict)  # made in the pod; where it was read
    hosts: set[str] = field(default_factory=set)

    def read(self, name: str, source: str, example: str | None = None) -> None:
        known = self.variables.get(name)
        if known is None or (known.example is None and example is not None):
            self.variables[name] = Variable(name, source, example)


@dataclass(frozen=True)
class Pod:
    """What the values point at: the pod's services and the app's credentials there."""

    db_user: str
    db_password: str
    db_host: str
    db_port: int
    db_name: str
    redis_host: str
    redis_port: int
    redis_db: int


# Reading


def _env_file(discovered: Discovered, text: str, source: str) -> None:
    for raw in text.splitlines():
        line = raw.strip().removeprefix("export ").strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        name, _, value = line.partition("=")
        if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name.strip()):
            discovered.read(name.strip(), source, value.strip().strip("'\""))


def _compose(discovered: Discovered, text: str, source: str) -> None:
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError:
        return
    services = document.get("services") if isinstance(document, dict) else None
    if not isinstance(services, dict):
        return
    for service_name, service in services.items():
        discovered.hosts.add(str(service_name))
        environment = service.get("environment") if isinstance(service, dict) else None
        if isinstance(environment, dict):
            pairs = [
                (str(key), None if value is None else str(value))
                for key, value in environment.items()
            ]
        elif isinstance(environment, list):
            pairs = [
                (item.partition("=")[0], item.partition("=")[2] or None)
                for item in map(str, environment)
            ]
        else:
            continue
        for name, value in pairs:
            discovered.read(name, f"{source} ({service_name})", value)


def _constant(node: ast.expr | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str | int):
        return str(node.value)
    return None


def _settings_prefix(node: ast.ClassDef) -> str:
    for item in ast.walk(node):
        if isinstance(item, ast.keyword) and item.arg == "env_prefix":
            return _constant(item.value) or ""
        if isinstance(item, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "env_prefix" for target in item.targets
        ):
            return _constant(item.value) or ""
    return ""


def _is_settings(node: ast.ClassDef) -> bool:
    names = {getattr(base, "id", getattr(base, "attr", "")) for base in node.bases}
    return bool(names & {"BaseSettings", "Settings"})


def _settings_fields(node: ast.ClassDef) -> Iterator[tuple[str, str | None]]:
    prefix = _settings_prefix(node)
    for item in node.body:
        if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
            yield f"{prefix}{item.target.id}".upper(), _constant(item.value)


def _env_call(node: ast.Call) -> tuple[str, str | None] | None:
    """``os.getenv("X", d)``, ``os.environ.get("X", d)``, ``config("X")``, ``env.str("X")``."""
    func = node.func
    called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    name = _constant(node.args[0]) if node.args else None
    if called not in ENV_CALLS or not name or not re.fullmatch(r"[A-Z][A-Z0-9_]*", name):
        return None
    return name, _constant(node.args[1]) if len(node.args) > 1 else None


def _engine_url(node: ast.Call) -> str | None:
    """A URL literal given to ``create_engine``: hard-coded, so no variable can move it."""
    func = node.func
    called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    if called in ("create_engine", "create_async_engine") and node.args:
        return _constant(node.args[0])
    return None


def _python(discovered: Discovered, module: ast.Module, source: str) -> None:
    for node in ast.walk(module):
        if isinstance(node, ast.ClassDef) and _is_settings(node):
            for field_name, example in _settings_fields(node):
                discovered.read(field_name, f"{source} (settings class {node.name})", example)
        elif isinstance(node, ast.Call) and (found := _env_call(node)):
            discovered.read(found[0], source, found[1])
        elif isinstance(node, ast.Call) and (url := _engine_url(node)):
            _login(discovered, url, source)
        elif (
            isinstance(node, ast.Subscript)
            and isinstance(node.value, ast.Attribute)
            and node.value.attr == "environ"
            and (name := _constant(node.slice))
        ):
            discovered.read(name, source)


def _alembic(discovered: Discovered, text: str, source: str) -> None:
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text)
    except configparser.Error:
        return
    for section in parser.sections():
        url = parser.get(section, "sqlalchemy.url", fallback="")
        _login(discovered, url, source)


def _login(discovered: Discovered, url: str, source: str) -> None:
    """A hard-coded PostgreSQL URL: its role and database are made in the pod."""
    if not url.startswith("postgres"):
        return
    parts = urlsplit(url)
    database = parts.path.lstrip("/")
    user, password = parts.username or "", parts.password or ""
    if parts.hostname:
        discovered.hosts.add(parts.hostname)
    if all(IDENTIFIER.match(value) for value in (user, database)) and "'" not in password:
        discovered.logins.setdefault(Login(user, password, database), source)


def discover(tree: Tree) -> Discovered:
    """Everything the submission reads from its environment, and what it hard codes."""
    discovered = Discovered()
    for entry in tree.files:
        relative, name = str(entry.relative), entry.relative.name
        if entry.size > 1024 * 1024:
            continue
        text = entry.path.read_text(encoding="utf-8", errors="replace")
        if name in ENV_FILES:
            _env_file(discovered, text, relative)
        elif name in COMPOSE_FILES:
            _compose(discovered, text, relative)
        elif name == "alembic.ini":
            _alembic(discovered, text, relative)
        elif entry.relative.suffix == ".py":
            module = syntax.parse_submitted(text)
            if module is not None:
                _python(discovered, module, relative)
    return discovered


# Values for the pod


def aliases(discovered: Discovered) -> tuple[str, ...]:
    """Host names the pod answers on its loopback: the usual service names, and those the
    submission uses (its compose services, the hosts of its hard-coded URLs)."""
    names = set(ALIASES) | {
        host
        for host in discovered.hosts
        if HOSTNAME.match(host) and host not in ("localhost",) and not host[0].isdigit()
    }
    return tuple(sorted(names))


def _kind(variable: Variable) -> str | None:
    """Which pod setting a variable stands for, by its name first, then by its example."""
    name, example = variable.name.upper(), (variable.example or "").lower()
    # A URL's example has a scheme: a user or database named "postgres" is not one.
    if DB_URL.match(name) or example.startswith(("postgres://", "postgresql://", "postgresql+")):
        return None if example.startswith("sqlite") else "db_url"
    if REDIS_URL.match(name) or example.startswith(("redis://", "rediss://")):
        return "redis_url"
    for part, pattern in DB_PART.items():
        if pattern.match(name):
            return f"db_{part}"
    for part, pattern in REDIS_PART.items():
        if pattern.match(name):
            return f"redis_{part}"
    return None


def _db_url(example: str | None, pod: Pod) -> str:
    scheme = urlsplit(example).scheme if example and "://" in example else "postgresql"
    return f"{scheme}://{pod.db_user}:{pod.db_password}@{pod.db_host}:{pod.db_port}/{pod.db_name}"


def value_for(kind: str, variable: Variable, pod: Pod) -> str:
    values = {
        "db_user": pod.db_user,
        "db_password": pod.db_password,
        "db_host": pod.db_host,
        "db_port": str(pod.db_port),
        "db_name": pod.db_name,
        "redis_url": f"redis://{pod.redis_host}:{pod.redis_port}/{pod.redis_db}",
        "redis_host": pod.redis_host,
        "redis_port": str(pod.redis_port),
        "redis_name": str(pod.redis_db),
    }
    return _db_url(variable.example, pod) if kind == "db_url" else values[kind]


def _masked(value: str, password: str) -> str:
    """A URL holds the password: the report shows where it points, never the password."""
    return value.replace(password, "…") if password else value


def environment(
    discovered: Discovered, pod: Pod, *, given: dict[str, str], services: frozenset[str]
) -> tuple[dict[str, str], list[str]]:
    """Values for the database and cache variables the submission reads (those ``given`` by
    the problem or a reviewer, and services the problem has not, excepted), and a sentence for
    each."""
    env: dict[str, str] = {}
    notes: list[str] = []
    for name, variable in sorted(discovered.variables.items()):
        kind = _kind(variable)
        if kind is None or name in given:
            continue
        if ("postgres" if kind.startswith("db") else "redis") not in services:
            continue
        env[name] = value_for(kind, variable, pod)
        shown = "the pod's" if "password" in kind else _masked(env[name], pod.db_password)
        notes.append(f"{name} (read in {variable.source}) set to {shown}")
    return env, notes


# A reviewer's values


def fill(template: str, values: Mapping[str, str]) -> str:
    """Substitute the known ``{placeholders}``; any other brace is the value's own text."""
    return PLACEHOLDER.sub(lambda match: values.get(match.group(1), match.group(0)), template)


def _override_problem(name: str, value: str) -> str | None:
    if len(name) > MAX_NAME or not ENV_NAME.match(name):
        return f"{name[:MAX_NAME]!r} is not an environment variable name ([A-Za-z_][A-Za-z0-9_]*)"
    if name.upper().startswith(RESERVED_PREFIX):
        return f"{name} is the grader's: names starting with {RESERVED_PREFIX} cannot be pinned"
    if len(value) > MAX_VALUE:
        return f"the value of {name} is longer than {MAX_VALUE} characters"
    if "\0" in value:
        return f"the value of {name} holds a NUL character, which no environment can carry"
    return None


def parse_overrides(lines: Sequence[str], *, counted_as: str = "line") -> dict[str, str]:
    """NAME=value assignments as a reviewer types them (form lines, ``--env`` options), checked:
    blank lines and ``#`` comments are skipped, a value is kept as typed, a name given twice is
    refused rather than one of them silently winning."""
    overrides: dict[str, str] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        name, equals, value = line.partition("=")
        name = name.strip()
        if not equals:
            raise InvalidInput(f"{counted_as} {number} is not NAME=value: {line.strip()[:80]!r}")
        if name in overrides:
            raise InvalidInput(f"{name} is given twice ({counted_as} {number})")
        overrides[name] = value
    return check_overrides(overrides)


def check_overrides(overrides: Mapping[str, str]) -> dict[str, str]:
    """A reviewer's overrides as the pod can be given them, or the first reason they cannot.

    Checked where they are pinned and again before a grading, so that a value the pod's
    environment cannot carry is refused with a reason rather than failing a stage.
    """
    if len(overrides) > MAX_OVERRIDES:
        raise InvalidInput(f"at most {MAX_OVERRIDES} variables can be pinned, not {len(overrides)}")
    for name, value in overrides.items():
        problem = _override_problem(name, value)
        if problem is not None:
            raise InvalidInput(problem)
    return dict(overrides)


def _shown(template: str, value: str, values: Mapping[str, str]) -> str:
    """The value for a note: as written when the pod's password is in it, so that no report
    holds the password; other placeholders' values say where the variable points."""
    password = values.get("db_password", "")
    shown = template if password and password in value else value
    unknown = sorted({name for name in PLACEHOLDER.findall(template) if name not in values})
    if unknown:
        braces = ", ".join(f"{{{name}}}" for name in unknown)
        shown += f" ({braces} kept as written: not one of the pod's placeholders)"
    return shown


def pinned(
    overrides: Mapping[str, str], values: Mapping[str, str], discovered: Discovered
) -> tuple[dict[str, str], list[str]]:
    """The reviewer's overrides filled in for the pod, and a sentence for each."""
    env: dict[str, str] = {}
    notes: list[str] = []
    for name, template in sorted(overrides.items()):
        env[name] = fill(template, values)
        variable = discovered.variables.get(name)
        read = f" (read in {variable.source})" if variable is not None else ""
        notes.append(f"{name}{read} pinned by a reviewer: {_shown(template, env[name], values)}")
    return env, notes
