"""Python source parsed on the grader's host, from any thread.

CPython 3.11's AST builder keeps its recursion depth per interpreter, not per thread: a
garbage collection that switches threads in the middle of one parse lets another parse move
the shared depth, and the first fails with "SystemError: AST constructor recursion depth
mismatch" (CPython gh-106905). Gradings run side by side in threads of one process, so every
parse takes one lock; a parse takes milliseconds, and the tree's limits bound a file's size.
"""

import ast
import threading

_lock = threading.Lock()


def parse(text: str) -> ast.Module:
    """Parse the grader's own source; its errors are the grader's and propagate."""
    with _lock:
        return ast.parse(text)


def parse_submitted(text: str) -> ast.Module | None:
    """A submission's module, or None when it is not Python this interpreter can read: a
    syntax error, nesting past the parser's limits, a NUL byte."""
    try:
        return parse(text)
    except (SyntaxError, RecursionError, MemoryError, ValueError):
        return None
