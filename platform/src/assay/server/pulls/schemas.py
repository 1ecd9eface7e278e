"""What the API takes and gives about registered repositories, their checks and webhooks."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, EmailStr, Field, HttpUrl

from assay.server.pulls.models import CheckState, Provider

FULL_NAME = r"^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)+$"


class RepositoryCreate(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "provider": "github",
                    "full_name": "acme/take-home-grace",
                    "problem": "book-reviews",
                    "candidate": "grace@example.com",
                    "api_token": "github_pat_...",
                    "min_score": 70,
                }
            ]
        }
    )

    provider: Provider
    full_name: str = Field(
        pattern=FULL_NAME,
        max_length=300,
        description="owner/name on GitHub, the project's full path on GitLab.",
    )
    problem: str
    candidate: EmailStr = Field(description="The invited candidate whose work this is.")
    api_token: str = Field(
        min_length=1,
        max_length=500,
        description="Reads the repository and writes commit statuses and comments.",
    )
    secret: str | None = Field(
        default=None,
        min_length=16,
        max_length=200,
        description="The webhook's secret; made for you when left out.",
    )
    api_url: HttpUrl | None = Field(
        default=None,
        description="The API's base URL: https://api.github.com (default for github), "
        "https://gitlab.com/api/v4 (default for gitlab), or your own instance's.",
    )
    min_score: float | None = Field(
        default=None, ge=0, le=100, description="Under this total the commit status fails."
    )


class RepositoryRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    provider: Provider
    full_name: str
    problem: str
    candidate_id: str
    api_url: str
    min_score: float | None
    created_at: datetime
    webhook_url: str = Field(default="", description="Where the provider sends the webhooks.")
    events: list[str] = Field(default=[], description="The events to enable on the webhook.")


class RepositoryCreated(RepositoryRead):
    secret: str = Field(description="The webhook's secret, shown this once.")


class RepositoryList(BaseModel):
    items: list[RepositoryRead]


class CheckRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    event: str
    sha: str
    ref: str
    pull: int | None
    state: CheckState
    submission_id: str | None
    error: str | None
    reported: str
    report_error: str | None
    created_at: datetime
    updated_at: datetime


class CheckList(BaseModel):
    items: list[CheckRead]


class WebhookReceipt(BaseModel):
    delivery: str
    event: str
    graded: bool
    reason: str = ""
    check: str | None = None
