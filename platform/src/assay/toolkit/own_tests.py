"""Start pytest on a candidate's own tests with the grader's tools imported first.

Usage: python -P own_tests.py SOURCE_DIR PYTEST_ARGS...  (under ``coverage run``)

pytest, the grader's plugin and the plugins its configuration names are imported while nothing
of the submission is on ``sys.path``; only then does SOURCE_DIR join it, for the candidate's
tests to import their code. A module the candidate ships under one of those names is never
imported in their place.
"""

import sys

import anyio.pytest_plugin
import assay_pytest
import pytest
import pytest_asyncio.plugin

GRADER_PLUGINS = (assay_pytest, pytest_asyncio.plugin, anyio.pytest_plugin)
# Imported already on purpose: pytest need not say it cannot rewrite their asserts.
QUIET = ["-W", "ignore::pytest.PytestAssertRewriteWarning"]

if __name__ == "__main__":
    sys.path.insert(0, sys.argv[1])
    sys.exit(pytest.main([*QUIET, *sys.argv[2:]]))
