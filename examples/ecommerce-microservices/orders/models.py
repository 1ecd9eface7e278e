"""Tables of the order service, all in the `orders` schema."""

import enum
import uuid
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, UniqueConstraint, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from common.db import schema_metadata


class Base(DeclarativeBase):
    """Base of the order service's tables."""

    metadata = schema_metadata("orders")


class OrderStatus(enum.StrEnum):
    """`pending` until payment settles; then `confirmed`, or `cancelled` with stock released."""

    pending = "pending"
    confirmed = "confirmed"
    cancelled = "cancelled"


class Order(Base):
    """An order; its stock is held by the product service under the order's id."""

    __tablename__ = "orders"
    __table_args__ = (UniqueConstraint("user_id", "idempotency_key", name="uq_orders_idempotency"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(index=True)
    status: Mapped[OrderStatus] = mapped_column(default=OrderStatus.pending, index=True)
    payment_method: Mapped[str] = mapped_column(String(32))
    payment_reference: Mapped[str | None] = mapped_column(String(64))
    failure_reason: Mapped[str | None] = mapped_column(String(64))
    total_cents: Mapped[int]
    idempotency_key: Mapped[str | None] = mapped_column(String(255))
    request_digest: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )
    lines: Mapped[list["OrderLine"]] = relationship(
        lazy="selectin", order_by="OrderLine.product_id", cascade="all, delete-orphan"
    )


class OrderLine(Base):
    """A product of an order at the price the product service reserved it at."""

    __tablename__ = "order_lines"

    order_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey(Order.id, ondelete="CASCADE"), primary_key=True
    )
    product_id: Mapped[int] = mapped_column(primary_key=True)
    quantity: Mapped[int]
    unit_price_cents: Mapped[int]


class StockRelease(Base):
    """Stock the product service may still hold for an order that was never placed.

    Written when a reservation's outcome is unknown (a timeout); the worker retries the
    release until the product service confirms it.
    """

    __tablename__ = "stock_releases"

    order_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
