"""What the API takes and gives about reviews, and the report JSON with its review in it."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from assay.server.reviews.models import Action, Kind
from assay.server.reviews.service import Reviewed

NOTE_MAX = 4000


class ReviewWrite(BaseModel):
    """A 1-5 ``score`` for a manual criterion, or ``points`` overriding a measured one."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"score": 4, "note": "The README explains the cache and its invalidation."},
                {"points": 12, "note": "Endpoints return canned answers for the test data."},
            ]
        }
    )

    score: int | None = Field(default=None, ge=1, le=5)
    points: float | None = Field(default=None, ge=0)
    note: str = Field(min_length=1, max_length=NOTE_MAX, description="The comment or reason.")


class ReviewRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    criterion: str
    kind: Kind
    score: int | None
    points: float | None
    note: str
    reviewer_id: str
    updated_at: datetime


class ReviewEventRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    criterion: str
    action: Action
    kind: Kind
    score: int | None
    points: float | None
    note: str
    points_before: float | None
    points_after: float | None
    total_before: float | None
    total_after: float | None
    reviewer_id: str
    reviewer_email: str
    at: datetime


class ReviewSummary(BaseModel):
    """A submission's review: the engine's total, the total with the review, and every change."""

    automatic_total: float | None
    total: float | None
    reviews: list[ReviewRead]
    audit: list[ReviewEventRead] = Field(description="Every change, newest first.")

    @classmethod
    def of(cls, reviewed: Reviewed) -> "ReviewSummary":
        return cls(
            automatic_total=reviewed.automatic_total,
            total=reviewed.total,
            reviews=[ReviewRead.model_validate(review) for review in reviewed.reviews],
            audit=[ReviewEventRead.model_validate(event) for event in reviewed.trail],
        )


def reviewed_report(report: dict[str, Any], reviewed: Reviewed) -> dict[str, Any]:
    """The report JSON as staff read it: criteria and total with the review applied, and the
    review with its audit trail, so that the document explains its own score."""
    return {
        **report,
        "criteria": [criterion.model_dump(mode="json") for criterion in reviewed.criteria],
        "total": reviewed.total,
        "review": ReviewSummary.of(reviewed).model_dump(mode="json"),
    }
