"""Assay grades backend take-home submissions in a hardened sandbox.

The engine's public API, for the command line, the service and CI alike::

    problem = load_problem(root, "book-reviews")
    sandbox = open_sandbox(settings, "docker", print)
    report = grade(problem, Path("submission"), sandbox=sandbox, cache_dir=settings.cache_dir)
"""

from assay.catalog.loader import Problem, list_slugs, load_problem
from assay.config import Settings, get_settings
from assay.errors import AssayError, InvalidInput, InvalidSubmission, PlatformError
from assay.grading.pipeline import grade
from assay.grading.report import Outcome, Report, Stage, StageStatus
from assay.sandbox.backends import open_sandbox
from assay.sandbox.pod import Sandbox

__all__ = [
    "AssayError",
    "InvalidInput",
    "InvalidSubmission",
    "Outcome",
    "PlatformError",
    "Problem",
    "Report",
    "Sandbox",
    "Settings",
    "Stage",
    "StageStatus",
    "get_settings",
    "grade",
    "list_slugs",
    "load_problem",
    "open_sandbox",
]
