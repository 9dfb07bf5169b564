"""A minimal payment-provider interface for the shop, to be swapped for pairing.payments.

The giving area builds the platform's provider interface (sandbox, manual) on its own
branch; until it lands the shop uses this one of the same shape. A provider only says
what happened at the payment service; the ledger postings are the shop's (services.py).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Charge:
    succeeded: bool  # False: pending until someone confirms the money arrived (manual)
    reference: str


class Provider(Protocol):
    name: str

    def charge(self, amount_fen: int, description: str) -> Charge: ...

    def refund(self, amount_fen: int, reference: str) -> str: ...


class Sandbox:
    """Pays at once: for the demo and tests; no real money moves."""

    name = "sandbox"

    def charge(self, amount_fen: int, description: str) -> Charge:
        return Charge(True, "sbx-" + uuid.uuid4().hex[:16])

    def refund(self, amount_fen: int, reference: str) -> str:
        return "sbx-refund-" + uuid.uuid4().hex[:12]


class Manual:
    """A bank transfer: pending until the selling village confirms it with a reference."""

    name = "manual"

    def charge(self, amount_fen: int, description: str) -> Charge:
        return Charge(False, "")

    def refund(self, amount_fen: int, reference: str) -> str:
        return "manual-refund"


PROVIDERS: dict[str, Provider] = {"sandbox": Sandbox(), "manual": Manual()}


def provider(name: str) -> Provider:
    try:
        return PROVIDERS[name]
    except KeyError:
        raise ValueError(f"unknown payment provider {name!r}") from None
