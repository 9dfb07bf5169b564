"""Payment providers. A provider decides what happens when a payment starts.

- sandbox: a demonstration; the money "arrives" at once. Every page showing a sandbox
  payment says plainly that no real money moved.
- manual: a bank transfer. The payer is shown the platform's account and a transfer code
  to write on the transfer; staff confirm the payment when the bank statement shows it.

A real gateway would be a third provider whose `start` redirects and whose webhook calls
services.confirm.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Protocol

from flask import current_app
from flask_babel import lazy_gettext as _l

from .models import Payment, PaymentStatus


class Provider(Protocol):
    name: str
    label: object
    confirms_at_once: bool

    def start(self, payment: Payment) -> None: ...


@dataclass(frozen=True)
class Sandbox:
    name: str = "sandbox"
    label: object = _l("Demo payment (no real money)")
    confirms_at_once: bool = True

    def start(self, payment: Payment) -> None:
        payment.status = PaymentStatus.CONFIRMED


@dataclass(frozen=True)
class Manual:
    name: str = "manual"
    label: object = _l("Bank transfer (confirmed by staff)")
    confirms_at_once: bool = False

    def start(self, payment: Payment) -> None:
        # Short, unambiguous, easy to copy onto a transfer slip.
        alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
        payment.transfer_code = "WQ" + "".join(secrets.choice(alphabet) for _ in range(8))
        payment.status = PaymentStatus.PENDING


PROVIDERS: dict[str, Provider] = {"sandbox": Sandbox(), "manual": Manual()}
# A payment's status as its page shows it.
STATUS_LABELS = {"pending": _l("Waiting for the transfer"), "confirmed": _l("Received"),
                 "cancelled": _l("Cancelled")}


def enabled() -> list[Provider]:
    """Providers offered to payers: PAYMENT_PROVIDERS ("sandbox,manual" by default)."""
    names = str(current_app.config.get("PAYMENT_PROVIDERS", "sandbox,manual"))
    return [PROVIDERS[n.strip()] for n in names.split(",") if n.strip() in PROVIDERS]


def get(name: str) -> Provider:
    if name not in {p.name for p in enabled()}:
        raise KeyError(name)
    return PROVIDERS[name]


def bank_account() -> dict[str, str]:
    """Where manual transfers go (shown to the payer)."""
    cfg = current_app.config
    return {"name": str(cfg.get("PAYMENT_BANK_NAME", "万企帮万村平台公益专户 (demo)")),
            "bank": str(cfg.get("PAYMENT_BANK", "示例银行 (demo bank)")),
            "account": str(cfg.get("PAYMENT_BANK_ACCOUNT", "6222 0000 0000 0000 000"))}
