"""Redis access.

Redis is provisioned beside the service for caching, but nothing uses it yet.
"""

import redis


def connect(url: str) -> redis.Redis:
    """Open a Redis client for `url`."""
    return redis.Redis.from_url(url, decode_responses=True)
