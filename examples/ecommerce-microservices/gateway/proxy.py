"""Forwarding a request to one service, with timeouts and a circuit breaker."""

from collections.abc import Mapping

import httpx

from common.errors import UnavailableError
from gateway.breaker import CircuitBreaker

# Request headers a service may need; everything else (cookies, a client's own
# X-User-Id) stays at the gateway.
FORWARDED_REQUEST_HEADERS = ("content-type", "accept", "idempotency-key")
FORWARDED_RESPONSE_HEADERS = ("content-type", "retry-after", "location")


class Upstream:
    """A service behind the gateway."""

    def __init__(self, name: str, client: httpx.AsyncClient, breaker: CircuitBreaker) -> None:
        self.name = name
        self.client = client
        self.breaker = breaker

    async def forward(
        self,
        method: str,
        path: str,
        *,
        query: str,
        headers: Mapping[str, str],
        body: bytes,
        user_id: int | None,
    ) -> httpx.Response:
        """Send the request on as `user_id`; no answer in time is `UnavailableError`.

        Only transport failures count against the breaker: a 503 the order service sends
        because the product service is down says nothing about the order service.
        """
        if not self.breaker.allow():
            raise UnavailableError(f"the {self.name} service is unavailable")
        kept = {name: headers[name] for name in FORWARDED_REQUEST_HEADERS if name in headers}
        if user_id is not None:
            kept["x-user-id"] = str(user_id)
        try:
            response = await self.client.request(
                method, path, params=httpx.QueryParams(query), headers=kept, content=body
            )
        except httpx.HTTPError as error:
            self.breaker.record_failure()
            raise UnavailableError(f"the {self.name} service is unavailable") from error
        self.breaker.record_success()
        return response
