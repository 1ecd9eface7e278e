"""Show a report in a terminal: the live stage view, then every criterion with its evidence.

What a report says comes from tools and submissions (test ids like ``test_x[a-b]``, messages
quoting a response): it is shown as plain :class:`Text`, never read as rich markup.
"""

from rich.console import Console, Group
from rich.live import Live
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from assay.grading.report import Outcome, Report, Stage, StageStatus

STATUS_STYLE = {
    StageStatus.passed: ("ok", "green"),
    StageStatus.failed: ("failed", "yellow"),
    StageStatus.skipped: ("skipped", "dim"),
    StageStatus.error: ("error", "red"),
}


class LiveStages:
    """A table of stages that updates as the pipeline reports them."""

    def __init__(self, console: Console, title: str) -> None:
        self._title = title
        self._rows: dict[str, Stage] = {}
        self._live = Live(self._render(), console=console, refresh_per_second=4, transient=False)

    def __enter__(self) -> "LiveStages":
        self._live.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._live.__exit__(None, None, None)
        self._live.console.line()

    def update(self, stage: Stage) -> None:
        self._rows[stage.name] = stage
        self._live.update(self._render())

    def _render(self) -> Table:
        table = Table(title=escape(self._title), title_justify="left", expand=False)
        table.add_column("stage")
        table.add_column("status")
        table.add_column("time", justify="right")
        table.add_column("summary", overflow="fold")
        for stage in self._rows.values():
            running = stage.summary == "running"
            label, style = ("running", "cyan") if running else STATUS_STYLE[stage.status]
            seconds = "" if running else f"{stage.seconds:.1f}s"
            table.add_row(Text(stage.name), Text(label, style=style), seconds, Text(stage.summary))
        return table


def _criteria_table(report: Report) -> Table:
    table = Table(title=f"Score: {report.total:g} / 100", title_justify="left", show_lines=True)
    table.add_column("criterion")
    table.add_column("points", justify="right")
    table.add_column("evidence", overflow="fold")
    for criterion in report.criteria:
        if criterion.points is None:
            why = "manual: awaiting a reviewer" if criterion.manual else "not measured in this run"
            table.add_row(Text(criterion.title), f"-/{criterion.weight:g}", why)
            continue
        lines = [
            f"{signal.fraction:>4.0%} x{signal.weight:g}  {signal.signal}: {signal.note}"
            for signal in criterion.signals
        ]
        if criterion.gate is not None:
            lines.append(
                f"x {criterion.gate.value:.2f} gate {criterion.gate.signal}: {criterion.gate.note}"
            )
        table.add_row(
            Text(criterion.title),
            f"{criterion.points:g}/{criterion.weight:g}",
            Text("\n".join(lines)),
        )
    return table


def _failed_tests(report: Report) -> Table | None:
    failed = [test for test in report.hidden_tests if not test.passed]
    if not failed:
        return None
    table = Table(title=f"Hidden tests failed ({len(failed)})", title_justify="left")
    table.add_column("test", overflow="fold")
    table.add_column("why", overflow="fold")
    for test in failed:
        name = test.id.rsplit("::", 1)[-1] + ("" if test.visible else " (reviewer-only)")
        why = test.message.splitlines()[0][:160] if test.message else test.outcome
        table.add_row(Text(name), Text(why))
    return table


def _binding_lines(report: Report) -> list[str]:
    binding = report.binding
    if binding is None:
        return []
    lines = [
        f"bound ({binding.source}): {name} -> {spec.get('method', '?')} {spec.get('path', '?')}"
        for name, spec in binding.operations.items()
    ]
    return lines + [f"binding: {note}" for note in binding.notes]


def show_report(console: Console, report: Report) -> None:
    heading = escape(f"{report.submission}  [run {report.run_id}]")
    if report.outcome is Outcome.error:
        message = Text("Not graded: the platform failed.", style="red")
        console.print(Panel(Text("\n").join([message, Text(report.error or "")]), title=heading))
        return
    parts: list[Table | Text] = []
    detection = report.detection
    lines = [
        *(f"note: {note}" for note in detection.notes),
        *(f"configured: {item}" for item in detection.configuration),
        *_binding_lines(report),
        *(f"left out: {item}" for item in detection.left_out),
        *(f"ignored: {item}" for item in detection.ignored),
    ]
    if lines:
        parts.append(Text("\n".join(lines), style="dim"))
    parts.append(_criteria_table(report))
    failed = _failed_tests(report)
    if failed is not None:
        parts.append(failed)
    console.print(Panel(Group(*parts), title=heading))
