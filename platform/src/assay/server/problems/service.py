"""The problems a user may see, their statements as HTML, and what a candidate downloads."""

from functools import lru_cache
from pathlib import Path

from markdown_it import MarkdownIt
from sqlalchemy import select
from sqlalchemy.orm import Session

from assay.catalog import bundle as candidate_bundle
from assay.catalog.loader import Problem, list_slugs, load_problem
from assay.config import Settings
from assay.errors import NotFound
from assay.server.accounts.models import Invitation, User


@lru_cache
def catalog(root: Path) -> dict[str, Problem]:
    """Every problem of the repository, loaded once per process."""
    return {slug: load_problem(root, slug) for slug in list_slugs(root)}


def _invited(session: Session, user: User) -> set[str]:
    query = select(Invitation.problem).where(Invitation.candidate_id == user.id)
    return set(session.scalars(query))


def listed(session: Session, user: User, settings: Settings) -> list[Problem]:
    problems = catalog(settings.root)
    names = problems if user.is_staff else _invited(session, user) & set(problems)
    return [problems[name] for name in sorted(names)]


def visible(session: Session, user: User, settings: Settings, slug: str) -> Problem:
    """A problem its reader may see: staff see all, a candidate the ones they are invited to."""
    problem = catalog(settings.root).get(slug)
    if problem is None or (not user.is_staff and slug not in _invited(session, user)):
        raise NotFound(f"no problem {slug}")
    return problem


def statement_html(problem: Problem) -> str:
    """The statement rendered; raw HTML in it is escaped, not passed through."""
    text = problem.statement.read_text(encoding="utf-8") if problem.statement.is_file() else ""
    html: str = MarkdownIt("commonmark", {"html": False}).enable("table").render(text)
    return html


def bundle(problem: Problem) -> bytes:
    """The candidate's bundle as a ``.tar.gz``: never the evaluation or the reference."""
    return candidate_bundle.archive(problem)
