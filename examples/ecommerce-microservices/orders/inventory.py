"""The product service as the order service reaches it: reservations over HTTP."""

import uuid
from dataclasses import dataclass

import httpx

from common.errors import ConflictError, InvalidInputError, UnavailableError
from orders.schemas import OrderLineCreate


@dataclass(frozen=True)
class ReservedLine:
    """A reserved line at the price the product service holds it at."""

    product_id: int
    quantity: int
    unit_price_cents: int


class Inventory:
    """Reserve and release stock; every failure to get an answer is `UnavailableError`."""

    def __init__(self, client: httpx.Client) -> None:
        self._client = client

    def reserve(self, order_id: uuid.UUID, items: list[OrderLineCreate]) -> list[ReservedLine]:
        """Hold stock for every line, or for none."""
        body = {"order_id": str(order_id), "items": [item.model_dump() for item in items]}
        response = self._send("POST", "/internal/reservations", json=body)
        if response.status_code == httpx.codes.NOT_FOUND:
            raise InvalidInputError(response.json()["detail"])
        if response.status_code == httpx.codes.CONFLICT:
            raise ConflictError(response.json()["detail"])
        self._expect_success(response)
        return [ReservedLine(**line) for line in response.json()["lines"]]

    def release(self, order_id: uuid.UUID) -> None:
        """Give an order's stock back; harmless when it holds none."""
        self._expect_success(self._send("DELETE", f"/internal/reservations/{order_id}"))

    def _send(self, method: str, path: str, **kwargs: object) -> httpx.Response:
        try:
            return self._client.request(method, path, **kwargs)  # type: ignore[arg-type]
        except httpx.HTTPError as error:
            raise UnavailableError("the product service is unavailable") from error

    @staticmethod
    def _expect_success(response: httpx.Response) -> None:
        if response.is_error:
            raise UnavailableError(f"the product service answered {response.status_code}")


def make_inventory(base_url: str, timeout_seconds: float) -> Inventory:
    """An inventory client with a short timeout: a slow product service means 503, fast."""
    return Inventory(httpx.Client(base_url=base_url, timeout=timeout_seconds))
