"""Every table of the service, imported in one place for Alembic and for tests."""

from assay.server.accounts.models import ApiToken, Invitation, RefreshToken, User
from assay.server.db import Base
from assay.server.git.models import Push
from assay.server.gradings.models import Grading, HiddenOutcome
from assay.server.pulls.models import Check, Delivery, Repository
from assay.server.reviews.models import Review, ReviewEvent
from assay.server.submissions.models import Blob, Submission

__all__ = [
    "ApiToken",
    "Base",
    "Blob",
    "Check",
    "Delivery",
    "Grading",
    "HiddenOutcome",
    "Invitation",
    "Push",
    "RefreshToken",
    "Repository",
    "Review",
    "ReviewEvent",
    "Submission",
    "User",
]
