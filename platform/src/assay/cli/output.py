"""What every command shares: the consoles, exit codes, and how engine errors end a command."""

from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console
from rich.markup import escape

from assay.errors import AssayError, PlatformError

EXIT_BELOW_MIN = 1
EXIT_INVALID = 2
EXIT_PLATFORM = 3

console = Console()
err = Console(stderr=True)


def say(line: str) -> None:
    """Relay a progress line (build output, warnings) as plain text to stderr."""
    err.print(line, markup=False, highlight=False, soft_wrap=True)


@contextmanager
def reported() -> Iterator[None]:
    """End the command with the engine's message and the exit code a CI job reads."""
    try:
        yield
    except AssayError as error:
        err.print(f"[red]error:[/red] {escape(error.message)}", highlight=False)
        code = EXIT_PLATFORM if isinstance(error, PlatformError) else EXIT_INVALID
        raise typer.Exit(code) from error
