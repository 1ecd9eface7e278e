"""The corpus table (reviewer's rank, Assay's score, time, binding) after the run."""

import pytest

TABLE: list[str] = []


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if TABLE:
        terminalreporter.write_sep("-", "open-brief corpus: reviewer's rank against Assay's score")
        for line in TABLE:
            terminalreporter.write_line(line)
