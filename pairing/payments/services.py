"""Starting and confirming payments; shared by giving (donations) and shop (orders).

    payment = start_payment("order", 12_800, payer, "order:5", provider="manual")
    if payment.confirmed: ...          # sandbox: at once
    confirm(payment, staff)            # manual: when the bank statement shows it

A purpose registers what happens on confirmation with `@on_confirmed("order")`; the
handler runs inside `confirm`, in the same transaction, so the payment and its effect
(ledger posting, order paid) commit together or not at all. `start_payment` does NOT call
the handler for providers that confirm at once: the caller, which has just created the
thing being paid for, books it itself (it already holds the locks it needs).
"""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import lazy_gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..audit import services as audit
from ..db import lock, utcnow
from ..extensions import db
from . import providers
from .models import Payment, PaymentStatus

Handler = Callable[[Payment, object], None]
Locker = Callable[[Payment, Session], None]
Describer = Callable[[list[Payment]], dict[int, str]]  # payments -> {payment id: words}
HANDLERS: dict[str, Handler] = {}
CANCEL_HANDLERS: dict[str, Handler] = {}
LOCKERS: dict[str, Locker] = {}
DESCRIBERS: dict[str, Describer] = {}

# What each purpose's payments are for, when no describer says more. The number is the
# reference's ("order:7" -> 7).
PURPOSE_WORDS = {"order": _("Shop order #%(number)s"), "donation": _("Donation #%(number)s")}
# Each purpose by itself, where the reference stands beside it (the audit log).
PURPOSE_LABELS = {"order": _("Shop order"), "donation": _("Donation")}


class PaymentError(ValueError):
    pass


def on_confirmed(purpose: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        HANDLERS[purpose] = fn
        return fn
    return register


def on_cancelled(purpose: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        CANCEL_HANDLERS[purpose] = fn
        return fn
    return register


def on_locking(purpose: str) -> Callable[[Locker], Locker]:
    """Register how to lock the subject of a purpose's payments (the order, the request)."""
    def register(fn: Locker) -> Locker:
        LOCKERS[purpose] = fn
        return fn
    return register


def on_described(purpose: str) -> Callable[[Describer], Describer]:
    def register(fn: Describer) -> Describer:
        DESCRIBERS[purpose] = fn
        return fn
    return register


def describe_all(payments: list[Payment]) -> list[str]:
    """What each payment is for, in the user's language ("Shop order #7"); a purpose's
    describer sees all its payments at once, so a list costs a query per purpose."""
    said: dict[int, str] = {}
    for purpose in {p.purpose for p in payments}:
        describer = DESCRIBERS.get(purpose)
        if describer is not None:
            said.update(describer([p for p in payments if p.purpose == purpose]))
    return [said.get(p.id) or _default_words(p) for p in payments]


def describe(payment: Payment) -> str:
    return describe_all([payment])[0]


def _default_words(payment: Payment) -> str:
    words = PURPOSE_WORDS.get(payment.purpose)
    if words is not None:
        return str(words) % {"number": payment.reference.rpartition(":")[2]}
    return str(_("Other payment (%(reference)s)", reference=payment.reference))


def start_payment(purpose: str, amount_fen: int, payer: object | None, reference: str, *,
                  provider: str = "sandbox", session: Session | None = None) -> Payment:
    """A payment for (purpose, reference); the same pair twice gives the same payment,
    and refuses a different amount."""
    session = session or db.session
    if not isinstance(amount_fen, int) or isinstance(amount_fen, bool) or amount_fen <= 0:
        raise PaymentError(_("The amount must be a positive number of fen."))
    try:
        chosen = providers.get(provider)
    except KeyError:
        raise PaymentError(_("This payment method is not available.")) from None
    existing = session.scalar(select(Payment).where(Payment.purpose == purpose,
                                                    Payment.reference == reference))
    if existing is not None:
        if existing.amount_fen != amount_fen:
            raise PaymentError(_("This payment was already started with another amount."))
        return existing
    payment = Payment(provider=chosen.name, purpose=purpose, reference=reference,
                      amount_fen=amount_fen, payer_id=getattr(payer, "id", None))
    chosen.start(payment)
    if payment.status == PaymentStatus.CONFIRMED:
        payment.confirmed_at = utcnow()
    session.add(payment)
    session.flush()
    audit.record(payer, "payment.started", payment,
                 after=audit.snapshot(payment, ["provider", "purpose", "reference",
                                                "amount_fen", "status"]), session=session)
    return payment


def pending(session: Session | None = None) -> list[Payment]:
    session = session or db.session
    return list(session.scalars(select(Payment).where(Payment.status == PaymentStatus.PENDING)
                                .order_by(Payment.created_at)))


def _locked(payment: Payment, session: Session) -> Payment:
    """The payment locked and read afresh, after what it pays for (purpose and reference
    never change, so reading them unlocked is safe)."""
    locker = LOCKERS.get(payment.purpose)
    if locker is not None:
        locker(payment, session)
    found = lock(session, Payment, payment.id)
    if found is None:
        raise PaymentError(_("No such payment."))
    return found


def confirm(payment: Payment, actor: object, session: Session | None = None) -> Payment:
    """Staff saw the money arrive. Runs the purpose's handler in the same transaction.
    The caller starts the unit of work with pairing.db.begin_write()."""
    session = session or db.session
    payment = _locked(payment, session)
    if payment.status == PaymentStatus.CONFIRMED:
        return payment  # confirming twice changes nothing
    if payment.status != PaymentStatus.PENDING:
        raise PaymentError(_("Only a pending payment can be confirmed."))
    payment.status = PaymentStatus.CONFIRMED
    payment.confirmed_at = utcnow()
    payment.confirmed_by_id = getattr(actor, "id", None)
    session.flush()
    audit.record(actor, "payment.confirmed", payment,
                 before={"status": "pending"}, after={"status": "confirmed"}, session=session)
    handler = HANDLERS.get(payment.purpose)
    if handler is not None:
        handler(payment, actor)
    return payment


def cancel(payment: Payment, actor: object, session: Session | None = None) -> Payment:
    """A manual payment that never arrived; its purpose's cancel handler releases holds."""
    session = session or db.session
    payment = _locked(payment, session)
    if payment.status != PaymentStatus.PENDING:
        raise PaymentError(_("Only a pending payment can be cancelled."))
    payment.status = PaymentStatus.CANCELLED
    session.flush()
    audit.record(actor, "payment.cancelled", payment,
                 before={"status": "pending"}, after={"status": "cancelled"}, session=session)
    handler = CANCEL_HANDLERS.get(payment.purpose)
    if handler is not None:
        handler(payment, actor)
    return payment
