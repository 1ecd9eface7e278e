"""Settings of the user service, read from the environment."""

from functools import lru_cache

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    """What the user service needs; `JWT_SECRET` has no default on purpose."""

    database_url: str = "postgresql+psycopg://shop:shop@127.0.0.1:5432/shop"
    jwt_secret: SecretStr = Field(min_length=32)
    access_token_minutes: int = Field(default=30, ge=1)


@lru_cache
def get_settings() -> Settings:
    """Read the environment once per process."""
    return Settings()  # type: ignore[call-arg]  # JWT_SECRET comes from the environment
