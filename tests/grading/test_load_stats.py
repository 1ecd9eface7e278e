import pytest

from assay.grading.stages.load import parse_stats

HEADER = (
    "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,"
    "Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,"
    "50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%"
)
BOOKS = (
    "GET,/books,2210,0,12,15.84,2.91,240.6,1830.0,122.7761,0.0,12,15,18,20,28,41,66,90,180,240,240"
)
CREATE = (
    "POST,/books,540,3,25,31.2,6.1,410.2,212.0,30.0012,0.1667,25,30,36,40,55,78,120,160,390,410,410"
)
AGGREGATED = (
    ",Aggregated,2750,3,14,18.86,2.91,410.2,1512.8,152.7773,0.1667,"
    "14,18,21,24,34,52,88,130,300,410,410"
)


def stats(*rows: str) -> str:
    return "\n".join([HEADER, *rows]) + "\n"


def test_the_aggregated_row_gives_the_figures():
    figures = parse_stats(stats(BOOKS, CREATE, AGGREGATED))

    assert figures is not None
    assert figures.model_dump() == {
        "requests": 2750,
        "failures": 3,
        "rps": 152.78,
        "p50_ms": 14.0,
        "p95_ms": 52.0,
        "p99_ms": 130.0,
    }


def test_the_failure_rate_comes_from_the_aggregated_counts():
    figures = parse_stats(stats(BOOKS, CREATE, AGGREGATED))

    assert figures is not None
    assert figures.failure_rate == pytest.approx(3 / 2750)


def test_percentiles_without_data_read_as_zero():
    empty = ",Aggregated,0,0,0,0.0,0,0,0,0.0,0.0,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A"

    figures = parse_stats(stats(empty))

    assert figures is not None
    assert (figures.requests, figures.p50_ms, figures.p95_ms, figures.p99_ms) == (0, 0, 0, 0)
    assert figures.failure_rate == 1.0


def test_stats_without_an_aggregated_row_give_nothing():
    assert parse_stats(stats(BOOKS, CREATE)) is None


def test_a_header_alone_gives_nothing():
    assert parse_stats(stats()) is None
