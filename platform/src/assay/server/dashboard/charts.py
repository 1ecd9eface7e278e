"""Charts drawn on the server as inline SVG: readable without scripts, printable, and each
with a text alternative. Values come from reports, so every label is escaped."""

from collections.abc import Sequence

from markupsafe import Markup, escape

WIDTH, HEIGHT = 480, 180
MARGIN = 28
CANDIDATE_COLOUR = "#1f5fa8"
REFERENCE_COLOUR = "#8a5a00"


def _svg(title: str, body: str, *, width: int = WIDTH, height: int = HEIGHT) -> Markup:
    return Markup(  # noqa: S704 - every value in it is escaped or a number
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(title)}</title>{body}</svg>"
    )


def histogram(counts: Sequence[int], *, title: str) -> Markup:
    """Bars for score ranges 0-10 ... 90-100, each labelled with its count."""
    tallest = max(counts, default=0) or 1
    slot = (WIDTH - 2 * MARGIN) / max(len(counts), 1)
    plot = HEIGHT - 2 * MARGIN
    parts = []
    for index, count in enumerate(counts):
        height = plot * count / tallest
        x = MARGIN + index * slot
        y = HEIGHT - MARGIN - height
        low = index * 100 // len(counts)
        parts.append(
            f'<rect x="{x + 2:.1f}" y="{y:.1f}" width="{slot - 4:.1f}" height="{height:.1f}" '
            f'fill="{CANDIDATE_COLOUR}"><title>{low}-{low + 100 // len(counts)}: {count}</title>'
            "</rect>"
            f'<text x="{x + slot / 2:.1f}" y="{y - 4:.1f}" text-anchor="middle">{count}</text>'
            f'<text x="{x + slot / 2:.1f}" y="{HEIGHT - MARGIN + 14:.1f}" '
            f'text-anchor="middle">{low}</text>'
        )
    axis = (
        f'<line x1="{MARGIN}" y1="{HEIGHT - MARGIN}" x2="{WIDTH - MARGIN}" '
        f'y2="{HEIGHT - MARGIN}" stroke="#333"/>'
    )
    return _svg(title, axis + "".join(parts))


def paired_bars(
    groups: Sequence[tuple[str, float | None, float | None]], *, title: str, unit: str
) -> Markup:
    """Candidate and reference side by side for each group (p50, p95, ...); a missing value
    draws no bar and says so."""
    values = [value for _, *pair in groups for value in pair if value is not None]
    tallest = max(values, default=0) or 1
    slot = (WIDTH - 2 * MARGIN) / max(len(groups), 1)
    bar = slot / 3
    plot = HEIGHT - 2 * MARGIN - 10
    parts = []
    for index, (label, candidate, reference) in enumerate(groups):
        x = MARGIN + index * slot + bar / 2
        for offset, value, colour, who in (
            (0, candidate, CANDIDATE_COLOUR, "candidate"),
            (bar, reference, REFERENCE_COLOUR, "reference"),
        ):
            if value is None:
                continue
            height = plot * value / tallest
            y = HEIGHT - MARGIN - height
            text = f"{value:.1f}" if value < 1000 else f"{value:.0f}"
            parts.append(
                f'<rect x="{x + offset:.1f}" y="{y:.1f}" width="{bar - 2:.1f}" '
                f'height="{height:.1f}" fill="{colour}"><title>{escape(label)} {who}: '
                f"{text} {escape(unit)}</title></rect>"
                f'<text x="{x + offset + bar / 2:.1f}" y="{y - 3:.1f}" '
                f'text-anchor="middle">{text}</text>'
            )
        parts.append(
            f'<text x="{x + bar:.1f}" y="{HEIGHT - MARGIN + 14:.1f}" '
            f'text-anchor="middle">{escape(label)}</text>'
        )
    legend = (
        f'<rect x="{MARGIN}" y="4" width="10" height="10" fill="{CANDIDATE_COLOUR}"/>'
        f'<text x="{MARGIN + 14}" y="13">candidate</text>'
        f'<rect x="{MARGIN + 90}" y="4" width="10" height="10" fill="{REFERENCE_COLOUR}"/>'
        f'<text x="{MARGIN + 104}" y="13">reference</text>'
    )
    axis = (
        f'<line x1="{MARGIN}" y1="{HEIGHT - MARGIN}" x2="{WIDTH - MARGIN}" '
        f'y2="{HEIGHT - MARGIN}" stroke="#333"/>'
    )
    return _svg(title, legend + axis + "".join(parts))
