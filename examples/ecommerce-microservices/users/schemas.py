"""Request and response bodies of the user service."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, StringConstraints

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]


class UserCreate(BaseModel):
    """A registration."""

    model_config = ConfigDict(extra="forbid")

    email: EmailStr
    password: str = Field(min_length=8, max_length=128)
    name: Name


class UserUpdate(BaseModel):
    """A profile change."""

    model_config = ConfigDict(extra="forbid")

    name: Name


class Credentials(BaseModel):
    """A login."""

    email: str = Field(max_length=320)
    password: str = Field(max_length=128)


class UserRead(BaseModel):
    """A user as the API shows it: never the password hash."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str
    name: str
    created_at: datetime


class Token(BaseModel):
    """An access token for the gateway's `Authorization: Bearer` header."""

    access_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105  # the scheme, not a secret
    expires_in: int
