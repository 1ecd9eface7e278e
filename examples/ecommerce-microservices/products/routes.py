"""HTTP routes of the product service: the public catalog and the internal reservations."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, status

from common.db import SessionDep
from common.identity import caller_id
from products import service
from products.schemas import (
    MAX_PAGE,
    ProductCreate,
    ProductPage,
    ProductRead,
    ReservationCreate,
    ReservationRead,
)

router = APIRouter(tags=["products"])
# Reached only by other services: the gateway does not route /internal.
internal = APIRouter(prefix="/internal", tags=["internal"])


@router.get("/products", response_model=ProductPage)
def list_products(
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> ProductPage:
    """One page of the catalog."""
    items, total = service.list_products(session, limit=limit, offset=offset)
    return ProductPage(
        items=[ProductRead.model_validate(item) for item in items],
        total=total,
        limit=limit,
        offset=offset,
    )


@router.get("/products/{product_id}", response_model=ProductRead)
def get_product(product_id: int, session: SessionDep) -> object:
    """One product."""
    return service.get_product(session, product_id)


@router.post(
    "/products",
    status_code=status.HTTP_201_CREATED,
    response_model=ProductRead,
    dependencies=[Depends(caller_id)],
)
def create_product(data: ProductCreate, session: SessionDep) -> object:
    """Add a product; any signed-in user may."""
    return service.create_product(session, data)


@internal.post("/reservations", response_model=ReservationRead)
def reserve(data: ReservationCreate, session: SessionDep, response: Response) -> object:
    """Hold stock for an order: 201 when taken now, 200 when this order already holds it."""
    reservation, created = service.reserve(session, data)
    response.status_code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
    return reservation


@internal.delete("/reservations/{order_id}", status_code=status.HTTP_204_NO_CONTENT)
def release(order_id: uuid.UUID, session: SessionDep) -> None:
    """Give an order's stock back (compensation); idempotent."""
    service.release(session, order_id)
