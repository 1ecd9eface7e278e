"""What the API takes and gives about users, tokens and invitations."""

from datetime import datetime

from pydantic import AwareDatetime, BaseModel, ConfigDict, EmailStr, Field

from assay.server.accounts.models import Role

EXAMPLE_EMAIL = "ada@example.com"


class SignIn(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"email": EXAMPLE_EMAIL, "password": "correct horse"}]}
    )

    email: EmailStr
    password: str = Field(min_length=1, max_length=500)


class RefreshIn(BaseModel):
    refresh_token: str = Field(min_length=1, max_length=500)


class AcceptIn(BaseModel):
    token: str = Field(min_length=1, max_length=500)
    password: str = Field(min_length=10, max_length=500)


class TokenPairRead(BaseModel):
    access_token: str
    refresh_token: str
    token_type: str = "bearer"  # noqa: S105 - the scheme's name, not a secret
    expires_in: int


class UserCreate(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"email": EXAMPLE_EMAIL, "role": "reviewer", "name": "Ada Lovelace"}]
        }
    )

    email: EmailStr
    role: Role
    name: str = Field(default="", max_length=200)
    password: str | None = Field(default=None, min_length=10, max_length=500)


class UserRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    email: str
    name: str
    role: Role
    created_at: datetime


class ApiTokenCreate(BaseModel):
    name: str = Field(min_length=1, max_length=100, examples=["ci"])


class ApiTokenRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class ApiTokenCreated(ApiTokenRead):
    token: str = Field(description="The secret, shown this once: Assay keeps only its hash.")


class ApiTokenList(BaseModel):
    items: list[ApiTokenRead]


class InvitationCreate(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "email": "grace@example.com",
                    "problem": "book-reviews",
                    "deadline": "2026-12-07T18:00:00Z",
                    "name": "Grace Hopper",
                }
            ]
        }
    )

    email: EmailStr
    problem: str
    deadline: AwareDatetime
    name: str = Field(default="", max_length=200)


class InvitationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    candidate_id: str
    problem: str
    deadline: datetime
    created_at: datetime
    git_url: str = Field(
        default="",
        description="The invitation's git remote: push main to submit (an API token is the "
        "password).",
    )


class InvitationCreated(InvitationRead):
    accept_token: str = Field(description="For the candidate to set a password, once.")


class InvitationList(BaseModel):
    items: list[InvitationRead]
