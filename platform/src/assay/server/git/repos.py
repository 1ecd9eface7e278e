"""The bare repositories behind the remotes, and the few Git commands Assay runs on them.

Every command runs with Git's system and user configuration switched off, so that nothing of
the host's ``~/.gitconfig`` (filters, hooks paths, aliases) applies to a candidate's objects:
only the configuration Assay gives on the command line does.
"""

import os
import re
import shlex
import shutil
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from assay.errors import InvalidInput, InvalidSubmission, PlatformError

GRADED_BRANCHES = ("refs/heads/main", "refs/heads/master")
HISTORY_KEPT = 200
SUBJECT_MAX = 200
ZERO = re.compile(r"^0+$")
SHA = re.compile(r"^[0-9a-f]{40}([0-9a-f]{24})?$")
IDENT = re.compile(r"^[0-9a-f]{32}$")
FIELD, RECORD = "\x1f", "\x1e"
GIT_S = 60


@dataclass(frozen=True)
class Commit:
    sha: str
    authored_at: datetime
    committed_at: datetime
    author: str
    subject: str

    def as_json(self) -> dict[str, Any]:
        return {
            "sha": self.sha,
            "authored_at": self.authored_at.isoformat(),
            "committed_at": self.committed_at.isoformat(),
            "author": self.author,
            "subject": self.subject,
        }


@dataclass(frozen=True)
class History:
    """A commit's ancestry: how many commits, and the newest of them."""

    count: int
    commits: list[Commit]


def clean_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """An environment for Git with no configuration but Assay's own."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_TERMINAL_PROMPT": "0",
        **(extra or {}),
    }


def _git(repo: Path, *args: str) -> str:
    try:
        done = subprocess.run(
            ["git", "--git-dir", str(repo), *args],
            env=clean_env(_objects_env()),
            capture_output=True,
            text=True,
            timeout=GIT_S,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise PlatformError(f"git {args[0]} could not run: {error}") from error
    if done.returncode != 0:
        raise InvalidInput(f"git {args[0]} failed: {done.stderr.strip()[-500:]}")
    return done.stdout


def _objects_env() -> dict[str, str]:
    """Inside a hook, pushed objects sit in a quarantine Git names in the environment: commands
    run on the repository must see them too."""
    names = ("GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_QUARANTINE_PATH")
    return {name: os.environ[name] for name in names if name in os.environ}


def check_id(invitation_id: str) -> str:
    """An invitation id as a path part: only what :func:`assay.server.ids.new_id` makes."""
    if not IDENT.fullmatch(invitation_id):
        raise InvalidInput(f"no remote {invitation_id!r}")
    return invitation_id


def path(root: Path, invitation_id: str) -> Path:
    return root / f"{check_id(invitation_id)}.git"


def ensure(root: Path, invitation_id: str) -> Path:
    """The invitation's bare repository, made on first use (atomically: two first pushes at
    once make one repository)."""
    repo = path(root, invitation_id)
    if repo.is_dir():
        return repo
    root.mkdir(parents=True, exist_ok=True)
    scratch = root / f".{invitation_id}.{uuid.uuid4().hex}"
    init = ["git", "init", "--quiet", "--bare", "--initial-branch=main", str(scratch)]
    try:
        subprocess.run(init, env=clean_env(), check=True, capture_output=True, timeout=GIT_S)
        # Git's sample hooks are never run; Assay's come from core.hooksPath
        shutil.rmtree(scratch / "hooks", ignore_errors=True)
        scratch.rename(repo)
    except (OSError, subprocess.SubprocessError) as error:
        shutil.rmtree(scratch, ignore_errors=True)
        if repo.is_dir():  # another request made it first
            return repo
        raise PlatformError(f"the remote could not be created: {error}") from error
    return repo


def is_deletion(sha: str) -> bool:
    return bool(ZERO.fullmatch(sha))


def archive(repo: Path, commit: str, limit: int) -> bytes:
    """The commit's tree as a tar (``git archive``): what was committed, nothing else."""
    if not SHA.fullmatch(commit):
        raise InvalidInput(f"not a commit id: {commit!r}")
    argv = ["git", "--git-dir", str(repo), "archive", "--format=tar", commit]
    with (
        tempfile.TemporaryFile() as errors,
        subprocess.Popen(
            argv, env=clean_env(_objects_env()), stdout=subprocess.PIPE, stderr=errors
        ) as process,
    ):
        data = process.stdout.read(limit + 1) if process.stdout is not None else b""
        if len(data) > limit:
            process.kill()
            raise InvalidSubmission(f"the commit's files are over {limit // (1 << 20)} MiB")
        if process.wait(GIT_S) != 0:
            errors.seek(0)
            why = errors.read().decode(errors="replace").strip()[-500:]
            raise InvalidSubmission(f"git archive failed: {why}")
    return data


def _when(epoch: str) -> datetime:
    return datetime.fromtimestamp(int(epoch), UTC)


def history(repo: Path, commit: str, kept: int = HISTORY_KEPT) -> History:
    """The commit's ancestry, newest first: its size and the last ``kept`` commits."""
    count = int(_git(repo, "rev-list", "--count", commit).strip())
    log = _git(
        repo,
        "log",
        f"--max-count={kept}",
        f"--format=%H{FIELD}%at{FIELD}%ct{FIELD}%an{FIELD}%s{RECORD}",
        commit,
    )
    commits = []
    for record in log.split(RECORD):
        parts = record.strip("\n").split(FIELD)
        if len(parts) != 5:
            continue
        sha, authored, committed, author, subject = parts
        commits.append(
            Commit(sha, _when(authored), _when(committed), author[:100], subject[:SUBJECT_MAX])
        )
    return History(count, commits)


HOOKS = ("pre-receive", "post-receive")


def install_hooks(directory: Path, python: str) -> None:
    """Assay's receive hooks, run by every remote (``core.hooksPath``): rewritten when they
    differ, so that a moved virtualenv or an upgrade takes effect on the next push."""
    directory.mkdir(parents=True, exist_ok=True)
    for name in HOOKS:
        script = f"#!/bin/sh\nexec {shlex.quote(python)} -m assay.server.git.hook {name}\n"
        hook = directory / name
        if hook.is_file() and hook.read_text(encoding="utf-8") == script:
            continue
        scratch = directory / f".{name}.{uuid.uuid4().hex}"
        scratch.write_text(script, encoding="utf-8")
        scratch.chmod(0o755)
        scratch.replace(hook)
