"""Use cases of the product service; they flush, the request commits."""

import uuid

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from common.errors import ConflictError, NotFoundError
from products.models import Product, Reservation, ReservationLine, ReservationStatus
from products.schemas import ProductCreate, ReservationCreate


def create_product(session: Session, data: ProductCreate) -> Product:
    """Add a product to the catalog."""
    product = Product(**data.model_dump())
    session.add(product)
    session.flush()
    return product


def list_products(session: Session, *, limit: int, offset: int) -> tuple[list[Product], int]:
    """One page of the catalog in id order, and the size of the catalog."""
    total = session.scalar(select(func.count()).select_from(Product)) or 0
    page = session.scalars(select(Product).order_by(Product.id).limit(limit).offset(offset))
    return list(page), total


def get_product(session: Session, product_id: int) -> Product:
    """Load a product by id."""
    product = session.get(Product, product_id)
    if product is None:
        raise NotFoundError(f"product {product_id} not found")
    return product


def reserve(session: Session, data: ReservationCreate) -> tuple[Reservation, bool]:
    """Take the stock an order needs, all lines or none; return it and whether it is new.

    A repeated call for the same order returns the first reservation unchanged, so the
    order service may retry after a timeout without taking the stock twice.
    """
    existing = session.get(Reservation, data.order_id)
    if existing is not None:
        return existing, False
    wanted = {item.product_id: item.quantity for item in data.items}
    # Locking in id order means two orders for the same products cannot deadlock.
    products = session.scalars(
        select(Product).where(Product.id.in_(wanted)).order_by(Product.id).with_for_update()
    ).all()
    missing = sorted(set(wanted) - {product.id for product in products})
    if missing:
        raise NotFoundError(f"product {missing[0]} not found")
    short = [product.id for product in products if product.stock < wanted[product.id]]
    if short:
        raise ConflictError(f"not enough stock of product {short[0]}")
    reservation = Reservation(order_id=data.order_id)
    for product in products:
        product.stock -= wanted[product.id]
        reservation.lines.append(
            ReservationLine(
                product_id=product.id,
                quantity=wanted[product.id],
                unit_price_cents=product.price_cents,
            )
        )
    session.add(reservation)
    session.flush()
    return reservation, True


def release(session: Session, order_id: uuid.UUID) -> None:
    """Give an order's stock back; releasing twice, or what was never reserved, is a no-op."""
    reservation = session.get(Reservation, order_id, with_for_update=True)
    if reservation is None or reservation.status is ReservationStatus.released:
        return
    products = session.scalars(
        select(Product)
        .where(Product.id.in_([line.product_id for line in reservation.lines]))
        .order_by(Product.id)
        .with_for_update()
    )
    returned = {line.product_id: line.quantity for line in reservation.lines}
    for product in products:
        product.stock += returned[product.id]
    reservation.status = ReservationStatus.released
    session.flush()
