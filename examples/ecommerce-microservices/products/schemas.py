"""Request and response bodies of the product service."""

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

MAX_PAGE = 100


class ProductCreate(BaseModel):
    """A new catalog entry."""

    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    description: str = Field(default="", max_length=2000)
    price_cents: int = Field(gt=0, le=100_000_000)
    stock: int = Field(ge=0, le=1_000_000_000)


class ProductRead(BaseModel):
    """A product as the API shows it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    description: str
    price_cents: int
    stock: int
    created_at: datetime


class ProductPage(BaseModel):
    """One page of the catalog, newest last."""

    items: list[ProductRead]
    total: int
    limit: int
    offset: int


class LineRequest(BaseModel):
    """A product and how many of it."""

    product_id: int
    quantity: int = Field(gt=0)


class ReservationCreate(BaseModel):
    """Stock an order wants to hold."""

    order_id: uuid.UUID
    items: list[LineRequest] = Field(min_length=1)

    @field_validator("items")
    @classmethod
    def _distinct_products(cls, items: list[LineRequest]) -> list[LineRequest]:
        """Each product appears once."""
        if len({item.product_id for item in items}) != len(items):
            raise ValueError("each product may appear only once")
        return items


class ReservedLine(BaseModel):
    """A reserved line with the price it was reserved at."""

    model_config = ConfigDict(from_attributes=True)

    product_id: int
    quantity: int
    unit_price_cents: int


class ReservationRead(BaseModel):
    """A reservation as the order service sees it."""

    model_config = ConfigDict(from_attributes=True)

    order_id: uuid.UUID
    status: str
    lines: list[ReservedLine]
