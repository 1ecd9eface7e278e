"""Tables of the product service, all in the `products` schema."""

import enum
import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, String, Text, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from common.db import schema_metadata


class Base(DeclarativeBase):
    """Base of the product service's tables."""

    metadata = schema_metadata("products")


class Product(Base):
    """A catalog entry; `stock` is what is left to sell, reservations already taken off."""

    __tablename__ = "products"
    __table_args__ = (
        CheckConstraint("price_cents > 0", name="price_positive"),
        CheckConstraint("stock >= 0", name="stock_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    price_cents: Mapped[int]
    stock: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class ReservationStatus(enum.StrEnum):
    """A reservation holds stock until the order is cancelled."""

    reserved = "reserved"
    released = "released"


class Reservation(Base):
    """The stock one order holds; keyed by the order's id so that retries are harmless."""

    __tablename__ = "reservations"

    order_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    status: Mapped[ReservationStatus] = mapped_column(default=ReservationStatus.reserved)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    lines: Mapped[list["ReservationLine"]] = relationship(
        lazy="selectin", order_by="ReservationLine.product_id"
    )


class ReservationLine(Base):
    """One product of a reservation, at the price it was reserved at."""

    __tablename__ = "reservation_lines"
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)

    order_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey(Reservation.order_id, ondelete="CASCADE"), primary_key=True
    )
    product_id: Mapped[int] = mapped_column(ForeignKey(Product.id), primary_key=True)
    quantity: Mapped[int]
    unit_price_cents: Mapped[int]
