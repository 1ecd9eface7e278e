from assay.sandbox.output import CappedOutput


def captured(limit: int, *chunks: bytes) -> CappedOutput:
    output = CappedOutput(limit)
    for chunk in chunks:
        output.feed(chunk)
    return output


def test_a_small_output_is_kept_whole():
    output = captured(100, b"collected 3 items\n", b"3 passed\n")

    assert output.text() == "collected 3 items\n3 passed\n"
    assert output.dropped == 0


def test_an_output_of_exactly_the_limit_is_kept_whole():
    output = captured(10, b"abcde", b"fghij")

    assert output.text() == "abcdefghij"
    assert output.dropped == 0


def test_a_large_output_keeps_the_head_and_the_tail_and_says_how_much_was_cut():
    output = captured(10, b"HEAD-" + b"x" * 90 + b"-TAIL")

    assert output.text() == "HEAD-\n[... 90 bytes cut ...]\n-TAIL"
    assert output.dropped == 90


def test_the_tail_is_the_latest_output_across_many_chunks():
    chunks = [f"line {n:03}\n".encode() for n in range(100)]

    text = captured(40, *chunks).text()

    assert text.startswith("line 000\nline 001\nli")
    assert text.endswith("line 098\nline 099\n")
    assert "[... 860 bytes cut ...]" in text


def test_reading_the_text_twice_gives_the_same_text():
    output = captured(10, b"a" * 50, b"b" * 50)

    assert output.text() == output.text()
    assert output.dropped == 90


def test_feeding_after_reading_keeps_counting():
    output = captured(10, b"a" * 50)
    output.text()

    output.feed(b"b" * 50)

    assert output.text() == "aaaaa\n[... 90 bytes cut ...]\nbbbbb"


def test_invalid_utf8_is_replaced_not_raised():
    assert captured(100, b"ok \xff\xfe done").text() == "ok \ufffd\ufffd done"
