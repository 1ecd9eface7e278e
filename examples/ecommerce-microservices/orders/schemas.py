"""Request and response bodies of the order service."""

import hashlib
import json
import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

MAX_PAGE = 100
# "card_declined" is the simulated card that is always refused.
PaymentMethod = Literal["card", "bank_transfer", "card_declined"]


class OrderLineCreate(BaseModel):
    """A product and how many of it."""

    model_config = ConfigDict(extra="forbid")

    product_id: int = Field(gt=0)
    quantity: int = Field(gt=0, le=100)


class OrderCreate(BaseModel):
    """A new order."""

    model_config = ConfigDict(extra="forbid")

    items: list[OrderLineCreate] = Field(min_length=1, max_length=20)
    payment_method: PaymentMethod

    @field_validator("items")
    @classmethod
    def _distinct_products(cls, items: list[OrderLineCreate]) -> list[OrderLineCreate]:
        """Each product appears once; quantities say how many."""
        if len({item.product_id for item in items}) != len(items):
            raise ValueError("each product may appear only once")
        return items

    def digest(self) -> str:
        """A fingerprint of the request, to tell a replay from a reused Idempotency-Key."""
        canonical = json.dumps(self.model_dump(), sort_keys=True)
        return hashlib.sha256(canonical.encode()).hexdigest()


class OrderLineRead(BaseModel):
    """A line of an order."""

    model_config = ConfigDict(from_attributes=True)

    product_id: int
    quantity: int
    unit_price_cents: int


class OrderRead(BaseModel):
    """An order as the API shows it."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    user_id: int
    status: str
    payment_method: str
    failure_reason: str | None
    items: list[OrderLineRead] = Field(validation_alias="lines")
    total_cents: int
    created_at: datetime
    updated_at: datetime


class OrderPage(BaseModel):
    """One page of the caller's orders, newest first."""

    items: list[OrderRead]
    total: int
    limit: int
    offset: int
