"""Every table of the service, imported in one place for Alembic and for tests."""

from assay.server.accounts.models import ApiToken, Invitation, RefreshToken, User
from assay.server.db import Base
from assay.server.gradings.models import Grading, HiddenOutcome
from assay.server.reviews.models import Review, ReviewEvent
from assay.server.submissions.models import Blob, Submission

__all__ = [
    "ApiToken",
    "Base",
    "Blob",
    "Grading",
    "HiddenOutcome",
    "Invitation",
    "RefreshToken",
    "Review",
    "ReviewEvent",
    "Submission",
    "User",
]
