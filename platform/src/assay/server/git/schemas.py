"""What the API says of a pushed submission's commits."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class CommitRead(BaseModel):
    sha: str
    authored_at: datetime
    committed_at: datetime
    author: str
    subject: str


class HistoryRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    submission_id: str
    ref: str
    commit: str
    commits: int = Field(description="How many commits lead to the pushed one.")
    pushed_at: datetime
    history: list[CommitRead] = Field(description="The newest of them, newest first.")
