"""Every problem the repository ships is calibrated: ``assay problems validate`` as a test.

While a problem's recorded calibration matches its reference, hidden suite, starter and
runtime image inputs, one reference grading rechecks it; otherwise it is calibrated in full.
"""

from collections.abc import Callable
from pathlib import Path

import pytest

from assay.catalog.loader import list_slugs
from assay.grading.calibration import Calibration

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.docker
@pytest.mark.parametrize(
    "slug", [pytest.param(slug, marks=pytest.mark.xdist_group(slug)) for slug in list_slugs(ROOT)]
)
def test_reference_and_starter_fall_in_their_bands(
    slug: str, calibration: Callable[[str], Calibration]
) -> None:
    result = calibration(slug)
    assert result.ok, "; ".join(result.failures)
