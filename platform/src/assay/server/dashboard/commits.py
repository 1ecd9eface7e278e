"""A pushed submission's commits as reviewers read them: each against the candidate's time box,
which starts with their first download of the starter (or with the invitation, when they
never downloaded it), and a strip chart of the whole timeline.

Commit times are what the commits say, which their author can set; the push time is the
server's own, and the page says which is which.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from markupsafe import Markup, escape

from assay.server.accounts.models import Invitation
from assay.server.git.models import Push

WIDTH, HEIGHT, MARGIN = 640, 70, 16
BOX_COLOUR, COMMIT_COLOUR, PUSH_COLOUR = "#dfe9f6", "#1f5fa8", "#8a5a00"


@dataclass(frozen=True)
class Row:
    sha: str
    subject: str
    author: str
    at: datetime
    offset: timedelta  # from the start of the time box; negative before it
    where: str  # "before the start", "in the time box", "after the time box", "after the deadline"

    @property
    def offset_text(self) -> str:
        minutes = int(abs(self.offset.total_seconds()) // 60)
        return f"{'-' if self.offset < timedelta(0) else '+'}{minutes // 60}h {minutes % 60:02d}m"


@dataclass(frozen=True)
class Timeline:
    commits: int  # all of them; ``rows`` holds the newest, as kept
    rows: list[Row]
    start: datetime
    started_by: str  # "first download of the starter" or "invitation"
    box_end: datetime | None
    deadline: datetime
    pushed_at: datetime
    span: timedelta  # first to last commit shown
    outside: int  # commits shown that fall outside the time box
    chart: Markup


def _where(at: datetime, start: datetime, box_end: datetime | None, deadline: datetime) -> str:
    if at < start:
        return "before the start"
    if at > deadline:
        return "after the deadline"
    if box_end is not None and at > box_end:
        return "after the time box"
    return "in the time box"


def _chart(
    rows: list[Row], start: datetime, box_end: datetime | None, pushed_at: datetime
) -> Markup:
    """A strip: the time box shaded, a tick per commit, a diamond at the push."""
    moments = [start, pushed_at, *(row.at for row in rows), *([box_end] if box_end else [])]
    low, high = min(moments), max(moments)
    seconds = max((high - low).total_seconds(), 1.0)

    def x(at: datetime) -> float:
        return MARGIN + (WIDTH - 2 * MARGIN) * (at - low).total_seconds() / seconds

    parts = []
    if box_end is not None:
        parts.append(
            f'<rect x="{x(start):.1f}" y="8" width="{max(x(box_end) - x(start), 1):.1f}" '
            f'height="34" fill="{BOX_COLOUR}"><title>time box</title></rect>'
        )
    parts.append(f'<line x1="{MARGIN}" y1="42" x2="{WIDTH - MARGIN}" y2="42" stroke="#333"/>')
    for row in rows:
        parts.append(
            f'<line x1="{x(row.at):.1f}" y1="14" x2="{x(row.at):.1f}" y2="42" '
            f'stroke="{COMMIT_COLOUR}" stroke-width="2"><title>{escape(row.sha[:8])} '
            f"{escape(row.subject)}</title></line>"
        )
    at = x(pushed_at)
    parts.append(
        f'<path d="M{at:.1f} 46 l5 7 l-5 7 l-5 -7 z" fill="{PUSH_COLOUR}">'
        "<title>pushed</title></path>"
    )
    title = (
        f"{len(rows)} commits against the time box, from {low:%Y-%m-%d %H:%M} "
        f"to {high:%Y-%m-%d %H:%M} UTC"
    )
    return Markup(  # noqa: S704 - every value in it is escaped or a number
        f'<svg class="chart timeline" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(title)}</title>{''.join(parts)}</svg>"
    )


def _moment(item: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(str(item["authored_at"]))


def timeline(push: Push, invitation: Invitation, time_box: timedelta | None) -> Timeline:
    start = invitation.started_at or invitation.created_at
    box_end = start + time_box if time_box is not None else None
    rows = [
        Row(
            sha=str(item["sha"]),
            subject=str(item["subject"]),
            author=str(item.get("author", "")),
            at=_moment(item),
            offset=_moment(item) - start,
            where=_where(_moment(item), start, box_end, invitation.deadline),
        )
        for item in push.history
    ]
    times = [row.at for row in rows]
    return Timeline(
        commits=push.commits,
        rows=rows,
        start=start,
        started_by="first download of the starter" if invitation.started_at else "invitation",
        box_end=box_end,
        deadline=invitation.deadline,
        pushed_at=push.pushed_at,
        span=max(times) - min(times) if times else timedelta(0),
        outside=sum(row.where != "in the time box" for row in rows),
        chart=_chart(rows, start, box_end, push.pushed_at),
    )
