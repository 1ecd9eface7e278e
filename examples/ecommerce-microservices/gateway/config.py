"""Settings of the gateway, read from the environment."""

from functools import lru_cache

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    """Where the services are, how long to wait for them and how much to let through."""

    users_url: str = "http://127.0.0.1:8001"
    products_url: str = "http://127.0.0.1:8002"
    orders_url: str = "http://127.0.0.1:8003"
    redis_url: str = "redis://127.0.0.1:6379/0"
    jwt_secret: SecretStr = Field(min_length=32)
    rate_limit_per_second: int = Field(default=50, ge=1)
    connect_timeout_seconds: float = Field(default=0.5, gt=0)
    # Above the order service's own 1 s budget for the product service.
    read_timeout_seconds: float = Field(default=3.0, gt=0)
    breaker_failures: int = Field(default=5, ge=1)
    breaker_reset_seconds: float = Field(default=5.0, gt=0)


@lru_cache
def get_settings() -> Settings:
    """Read the environment once per process."""
    return Settings()  # type: ignore[call-arg]  # JWT_SECRET comes from the environment
