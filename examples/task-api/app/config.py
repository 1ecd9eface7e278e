"""Settings read from the environment, so the grader and a laptop run the same code."""

from functools import lru_cache

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    """What the service needs to know about its surroundings.

    `JWT_SECRET` has no default on purpose: a service that signs tokens with a secret
    written in its source accepts tokens forged by anyone who can read that source.
    """

    database_url: str = "postgresql+psycopg://tasks:tasks@127.0.0.1:5432/tasks"
    jwt_secret: SecretStr = Field(min_length=32)
    access_token_minutes: int = Field(default=15, ge=1)
    refresh_token_days: int = Field(default=7, ge=1)


@lru_cache
def get_settings() -> Settings:
    """Read the environment once per process."""
    return Settings()  # type: ignore[call-arg]  # JWT_SECRET comes from the environment
