"""Settings of the order service and its worker, read from the environment."""

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    """What the order service needs to reach its database, the queue and the products."""

    database_url: str = "postgresql+psycopg://shop:shop@127.0.0.1:5432/shop"
    redis_url: str = "redis://127.0.0.1:6379/0"
    products_url: str = "http://127.0.0.1:8002"
    # Well under the gateway's own timeout, so the order service answers 503 itself.
    products_timeout_seconds: float = Field(default=1.0, gt=0)
    # A pending order older than this is settled by the worker's sweep (a lost event).
    stale_after_seconds: float = Field(default=5.0, gt=0)


@lru_cache
def get_settings() -> Settings:
    """Read the environment once per process."""
    return Settings()
