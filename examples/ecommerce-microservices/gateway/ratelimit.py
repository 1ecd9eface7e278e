"""A fixed one-second window per client, counted in Redis so that every gateway shares it."""

import logging
import time

from redis.asyncio import Redis
from redis.exceptions import RedisError

log = logging.getLogger("gateway.ratelimit")


class RateLimiter:
    """At most `limit` requests per client per second."""

    def __init__(self, redis: Redis, *, limit: int) -> None:
        self._redis = redis
        self._limit = limit

    async def allow(self, client: str) -> bool:
        """Count one request; False when the client is over its limit this second.

        When Redis is unreachable the gateway lets requests through: limiting is there to
        protect the services, not worth refusing every request for.
        """
        key = f"ratelimit:{client}:{int(time.time())}"
        try:
            async with self._redis.pipeline(transaction=True) as pipe:
                count, _ = await pipe.incr(key).expire(key, 2).execute()
        except (RedisError, OSError) as error:
            log.warning("rate limiting is off: %s", error)
            return True
        return int(count) <= self._limit
