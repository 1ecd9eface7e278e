"""HTTP routes of the order service."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Request, Response, status

from common.db import PlainSessionDep, SessionDep
from common.identity import caller_id
from orders import service
from orders.events import EventBus
from orders.schemas import MAX_PAGE, OrderCreate, OrderPage, OrderRead

router = APIRouter(prefix="/orders", tags=["orders"])
CallerId = Annotated[int, Depends(caller_id)]
IdempotencyKey = Annotated[
    str | None, Header(alias="Idempotency-Key", min_length=1, max_length=255)
]


@router.post("", status_code=status.HTTP_202_ACCEPTED, response_model=OrderRead)
def place_order(
    data: OrderCreate,
    user_id: CallerId,
    session: PlainSessionDep,
    request: Request,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> object:
    """Reserve stock and accept the order (202); a replayed key returns the same order (200)."""
    order, created = service.place_order(
        session,
        request.app.state.inventory,
        user_id=user_id,
        data=data,
        idempotency_key=idempotency_key,
    )
    if created:
        bus: EventBus = request.app.state.bus
        bus.publish("order.created", order_id=str(order.id), user_id=user_id, status="pending")
    else:
        response.status_code = status.HTTP_200_OK
    return order


@router.get("", response_model=OrderPage)
def list_orders(
    user_id: CallerId,
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> OrderPage:
    """The caller's orders, newest first."""
    items, total = service.list_orders(session, user_id, limit=limit, offset=offset)
    return OrderPage(
        items=[OrderRead.model_validate(item) for item in items],
        total=total,
        limit=limit,
        offset=offset,
    )


@router.get("/{order_id}", response_model=OrderRead)
def get_order(order_id: uuid.UUID, user_id: CallerId, session: SessionDep) -> object:
    """One of the caller's orders."""
    return service.get_order(session, user_id, order_id)
