"""The rest of the order saga, run by the worker: payment, then confirm or compensate.

    pending --payment approved--> confirmed
    pending --payment declined--> release stock --> cancelled

An order stays `pending` until its outcome is final: if the product service cannot take
the stock back, the transaction rolls back and the sweep tries again later.
"""

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from common.errors import UnavailableError
from orders import payments
from orders.events import EventBus
from orders.inventory import Inventory
from orders.models import Order, OrderStatus, StockRelease

SessionFactory = Callable[[], Session]


def settle(factory: SessionFactory, inventory: Inventory, bus: EventBus, order_id: str) -> None:
    """Charge a pending order and confirm it, or release its stock and cancel it."""
    with factory() as session, session.begin():
        order = session.get(Order, uuid.UUID(order_id), with_for_update=True)
        if order is None or order.status is not OrderStatus.pending:
            return
        result = payments.charge(order_id, order.total_cents, order.payment_method)
        if result.approved:
            order.status = OrderStatus.confirmed
            order.payment_reference = result.reference
        else:
            inventory.release(order.id)
            order.status = OrderStatus.cancelled
            order.failure_reason = result.reason
        user_id, status = order.user_id, order.status.value
    bus.publish(f"order.{status}", order_id=order_id, user_id=user_id, status=status)


def sweep(
    factory: SessionFactory, inventory: Inventory, bus: EventBus, *, older_than: timedelta
) -> None:
    """Settle pending orders whose event was lost, and retry outstanding stock releases."""
    cutoff = datetime.now(UTC) - older_than
    with factory() as session:
        stale = session.scalars(
            select(Order.id).where(Order.status == OrderStatus.pending, Order.created_at < cutoff)
        ).all()
        releases = session.scalars(select(StockRelease.order_id)).all()
    try:
        for order_id in stale:
            settle(factory, inventory, bus, str(order_id))
        for order_id in releases:
            inventory.release(order_id)
            with factory() as session, session.begin():
                session.execute(
                    StockRelease.__table__.delete().where(StockRelease.order_id == order_id)
                )
    except UnavailableError:
        return  # the product service is down; the next sweep tries again
