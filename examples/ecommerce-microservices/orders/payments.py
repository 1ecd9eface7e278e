"""Simulated payment: deterministic, so a client can choose the outcome."""

import hashlib
from dataclasses import dataclass

DECLINED_METHOD = "card_declined"


@dataclass(frozen=True)
class PaymentResult:
    """The outcome of one charge."""

    approved: bool
    reference: str | None = None
    reason: str | None = None


def charge(order_id: str, amount_cents: int, method: str) -> PaymentResult:
    """Charge an order: `card_declined` is always refused, every other method approved."""
    if method == DECLINED_METHOD:
        return PaymentResult(approved=False, reason="payment_declined")
    reference = hashlib.sha256(f"{order_id}:{amount_cents}".encode()).hexdigest()[:16]
    return PaymentResult(approved=True, reference=f"pay_{reference}")
