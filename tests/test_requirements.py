"""Distribution names as pip reads them from a requirements line."""

import pytest

from assay.requirements import names, requirement_name


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("fastapi", "fastapi"),
        ("FastAPI>=0.110", "fastapi"),
        ("uvicorn[standard]==0.30.1", "uvicorn"),
        ("Flask.Login==0.6", "flask-login"),
        ("pydantic_settings~=2.3", "pydantic-settings"),
        ("redis>=5  # the cache", "redis"),
        ("  sqlalchemy  ", "sqlalchemy"),
        ("psycopg[binary]==3.2 \\", "psycopg"),
        ('tomli; python_version < "3.11"', "tomli"),
        ("shop @ https://example.com/shop-1.0.tar.gz", "shop"),
    ],
)
def test_a_requirement_gives_its_normalized_name(line, name):
    assert requirement_name(line) == name


@pytest.mark.parametrize(
    "line",
    [
        "",
        "   ",
        "# a comment",
        "-r base.txt",
        "--index-url https://pypi.example/simple",
        "-e .",
        "    --hash=sha256:0123abcd",
        "https://example.com/shop-1.0.tar.gz",
        "not a requirement!",
    ],
)
def test_options_urls_comments_and_junk_give_no_name(line):
    assert requirement_name(line) is None


def test_names_gathers_the_distinct_names_of_many_lines():
    assert names(["fastapi", "FastAPI==1.0", "-r other.txt", "redis"]) == {"fastapi", "redis"}
