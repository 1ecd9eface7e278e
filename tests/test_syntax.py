"""Python source parsed on the host: one parse at a time, and a submission's bad source is None."""

import threading

import pytest

from assay import syntax


@pytest.mark.parametrize(
    "text",
    ["def broken(:\n", "x = 1\0\n", "(" * 300 + ")" * 300],
    ids=["syntax error", "NUL byte", "nested past the parser"],
)
def test_source_the_interpreter_cannot_read_is_none(text):
    assert syntax.parse_submitted(text) is None


def test_readable_source_is_its_module():
    module = syntax.parse_submitted("import fastapi\n")

    assert module is not None
    assert module.body[0].names[0].name == "fastapi"


def test_a_parse_waits_while_another_thread_parses():
    parsed = threading.Event()

    def parse() -> None:
        syntax.parse("x = 1\n")
        parsed.set()

    with syntax._lock:
        worker = threading.Thread(target=parse)
        worker.start()
        assert not parsed.wait(0.2)
    worker.join(5)

    assert parsed.is_set()
