"""Placing and reading orders; the first step of the saga runs here, in the request.

Placing an order: reserve the stock at the product service under a fresh order id, then
store the order as `pending`. The route commits and only then announces `order.created`;
the worker settles the payment (see `orders.saga`).
"""

import uuid

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from common.errors import InvalidInputError, NotFoundError, ServiceError, UnavailableError
from orders.inventory import Inventory
from orders.models import Order, OrderLine, StockRelease
from orders.schemas import OrderCreate


def place_order(
    session: Session,
    inventory: Inventory,
    *,
    user_id: int,
    data: OrderCreate,
    idempotency_key: str | None,
) -> tuple[Order, bool]:
    """Reserve stock and store a pending order; return it and whether it is new.

    With an `Idempotency-Key` the same request returns the first order; the same key with
    another body is refused. Stock whose reservation may have happened without an answer is
    recorded for release, so a failed placement never leaves stock held.
    """
    digest = data.digest()
    if idempotency_key is not None:
        earlier = _by_key(session, user_id, idempotency_key)
        if earlier is not None:
            return _replay(earlier, digest), False
    order_id = uuid.uuid4()
    try:
        lines = inventory.reserve(order_id, data.items)
    except UnavailableError:
        _release_later(session, order_id)
        raise
    order = Order(
        id=order_id,
        user_id=user_id,
        payment_method=data.payment_method,
        total_cents=sum(line.quantity * line.unit_price_cents for line in lines),
        idempotency_key=idempotency_key,
        request_digest=digest,
        lines=[
            OrderLine(
                product_id=line.product_id,
                quantity=line.quantity,
                unit_price_cents=line.unit_price_cents,
            )
            for line in lines
        ],
    )
    session.add(order)
    try:
        session.commit()
    except IntegrityError:
        # A concurrent request with the same key won; give back what this one reserved.
        session.rollback()
        _release_now(session, inventory, order_id)
        winner = _by_key(session, user_id, idempotency_key or "")
        if winner is None:
            raise
        return _replay(winner, digest), False
    return order, True


def list_orders(
    session: Session, user_id: int, *, limit: int, offset: int
) -> tuple[list[Order], int]:
    """One page of the caller's orders, newest first, and how many they have."""
    mine = Order.user_id == user_id
    total = session.scalar(select(func.count()).select_from(Order).where(mine)) or 0
    page = session.scalars(
        select(Order)
        .where(mine)
        .order_by(Order.created_at.desc(), Order.id)
        .limit(limit)
        .offset(offset)
    )
    return list(page), total


def get_order(session: Session, user_id: int, order_id: uuid.UUID) -> Order:
    """One of the caller's orders; someone else's is not found."""
    order = session.get(Order, order_id)
    if order is None or order.user_id != user_id:
        raise NotFoundError("order not found")
    return order


def _by_key(session: Session, user_id: int, key: str) -> Order | None:
    return session.scalar(
        select(Order).where(Order.user_id == user_id, Order.idempotency_key == key)
    )


def _replay(order: Order, digest: str) -> Order:
    if order.request_digest != digest:
        raise InvalidInputError("this Idempotency-Key was used with a different request")
    return order


def _release_later(session: Session, order_id: uuid.UUID) -> None:
    session.rollback()
    session.add(StockRelease(order_id=order_id))
    session.commit()


def _release_now(session: Session, inventory: Inventory, order_id: uuid.UUID) -> None:
    try:
        inventory.release(order_id)
    except ServiceError:
        _release_later(session, order_id)
