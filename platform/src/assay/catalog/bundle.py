"""What a candidate receives for a problem: the statement, the starter, how to run and submit.

Built only from the candidate-facing folders (``problems/<slug>/`` and
``starter-code/<slug>/``): nothing of ``evaluation/`` or ``examples/`` can reach it.
"""

import io
import tarfile
from pathlib import Path, PurePosixPath

from assay import tree
from assay.catalog.loader import Problem

STATEMENT = "STATEMENT.md"
HOW_TO = "SUBMITTING.md"
GITIGNORE = """\
__pycache__/
*.pyc
.venv/
.env
.pytest_cache/
.coverage
htmlcov/
"""
HOW_TO_TEXT = """\
# {title}: running and submitting

The statement is in `{statement}`; this folder is the scaffold it starts from.

## Run the tests

```sh
python3.11 -m venv .venv && . .venv/bin/activate
pip install -r requirements.txt
pytest
```

## Submit

Work in git, and commit as you go: reviewers read the history.

- With the Assay command line: `assay submit . --problem {slug} --wait`
  (`ASSAY_URL` and `ASSAY_TOKEN` from your invitation).
- With git: `git remote add assay <the remote URL of your invitation>`, then
  `git push assay main`. Only the pushed commit is graded, not uncommitted files.
- Or upload a `.tar.gz` or `.zip` of this folder on the invitation's page.

The grader starts your service in a sandbox without network, with PostgreSQL and Redis
beside it, and calls it over HTTP as the statement describes; it also runs your own tests.
"""


def files(problem: Problem) -> dict[PurePosixPath, bytes]:
    """Every file of the bundle, by its path inside it."""
    bundle: dict[PurePosixPath, bytes] = {}
    if problem.starter.is_dir():
        for entry in tree.walk(problem.starter, tree.PROBLEM_LIMITS).files:
            bundle[entry.relative] = entry.path.read_bytes()
    public = problem.statement.parent
    for entry in tree.walk(public, tree.PROBLEM_LIMITS).files:
        if entry.relative.name not in ("problem.toml", problem.statement.name):
            bundle[PurePosixPath("problem") / entry.relative] = entry.path.read_bytes()
    if problem.statement.is_file():
        bundle[PurePosixPath(STATEMENT)] = problem.statement.read_bytes()
    text = HOW_TO_TEXT.format(title=problem.spec.title, statement=STATEMENT, slug=problem.slug)
    bundle[PurePosixPath(HOW_TO)] = text.encode()
    bundle.setdefault(PurePosixPath(".gitignore"), GITIGNORE.encode())
    return bundle


def write(problem: Problem, destination: Path) -> list[Path]:
    """Export the bundle into a folder (which must not exist or be empty)."""
    if destination.exists() and any(destination.iterdir()):
        raise FileExistsError(f"{destination} is not empty")
    written = []
    for relative, data in sorted(files(problem).items()):
        target = destination.joinpath(*relative.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        written.append(target)
    return written


def archive(problem: Problem) -> bytes:
    """The bundle as a ``.tar.gz`` under a folder named after the problem."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as output:
        for relative, data in sorted(files(problem).items()):
            info = tarfile.TarInfo(f"{problem.slug}/{relative}")
            info.size, info.mode, info.mtime = len(data), 0o644, 0
            output.addfile(info, io.BytesIO(data))
    return buffer.getvalue()
