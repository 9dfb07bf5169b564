"""Delivery of pairings: progress reports with evidence, confirmation, disputes, lapsing.

A report counts toward the pairing and the need only once the village confirms it (or a
verifier upholds it after a dispute).
"""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, joinedload

from .. import uploads
from ..accounts.models import Role, User
from ..audit import services as audit
from ..db import begin_write, local_date, utcnow
from ..enterprises import services as offers
from ..enterprises.models import Enterprise, Offer
from ..enterprises.rules import Invalid, NotAllowed
from ..needs import services as needs
from ..needs.models import Need
from ..places.models import Village
from . import evidence
from .models import EvidenceFile, Pairing, ProgressReport
from .notify import notify
from .policy import REPORT_AUDIT, _link, _lock, _s, today

OPEN_REPORTS = ("reported", "disputed")


def is_enterprise_of(actor: User, pairing: Pairing) -> bool:
    return actor.role == Role.ENTERPRISE and pairing.offer.enterprise.officer_id == actor.id


def is_village_of(actor: User, pairing: Pairing) -> bool:
    return actor.role == Role.SECRETARY and pairing.need.village.secretary_id == actor.id


def is_verifier_of(actor: User, pairing: Pairing) -> bool:
    return actor.role == Role.VERIFIER and actor.covers(pairing.need.village.county_code)


def may_see(actor: User, pairing: Pairing) -> bool:
    """The two parties, verifiers in the village's jurisdiction and coordinators."""
    if not actor.is_authenticated:
        return False
    return (is_enterprise_of(actor, pairing) or is_village_of(actor, pairing)
            or is_verifier_of(actor, pairing)
            or (actor.role == Role.COORDINATOR and actor.covers(pairing.need.village.county_code)))


def may_download(actor: User, pairing: Pairing) -> bool:
    """Evidence goes to the parties and verifiers only."""
    return actor.is_authenticated and (is_enterprise_of(actor, pairing)
                                       or is_village_of(actor, pairing)
                                       or is_verifier_of(actor, pairing))


def outstanding(pairing: Pairing, session: Session) -> int:
    """What the enterprise may still report: not delivered and not waiting for an answer."""
    waiting = session.scalar(select(func.coalesce(func.sum(ProgressReport.quantity), 0)).where(
        ProgressReport.pairing_id == pairing.id, ProgressReport.status.in_(OPEN_REPORTS))) or 0
    return pairing.quantity - pairing.delivered_quantity - int(waiting)


def report_progress(actor: User, pairing: Pairing, quantity: int, delivered_on: date | None,
                    note: str, files: list[tuple[str, bytes]],
                    session: Session | None = None) -> ProgressReport:
    session = _s(session)
    if not is_enterprise_of(actor, pairing):
        raise NotAllowed
    errors: dict[str, object] = {}
    note = (note or "").strip()
    if pairing.status != "active":
        raise Invalid({"status": _l("This pairing is closed.")})
    if delivered_on is None:
        errors["delivered_on"] = _l("Enter the date of delivery.")
    elif delivered_on > today():
        errors["delivered_on"] = _l("The date of delivery cannot be in the future.")
    elif delivered_on < pairing.starts_on:
        errors["delivered_on"] = _l(
            "The date of delivery cannot be before the pairing starts (%(date)s): help given "
            "earlier does not count toward it.", date=pairing.starts_on.isoformat())
    if len(note) > 2000:
        errors["note"] = _l("At most %(n)d characters.", n=2000)
    files = [(n, d) for n, d in files if n or d]
    if len(files) > evidence.MAX_FILES:
        errors["files"] = _l("At most %(n)d files.", n=evidence.MAX_FILES)
    checked = []
    for name, data in files:
        try:
            checked.append((*evidence.check(name, data), data))
        except ValueError as exc:
            errors["files"] = exc.args[0]
            break
    begin_write(session)
    pairing = _lock(session, Pairing, pairing.id)
    left = outstanding(pairing, session)
    if not isinstance(quantity, int) or quantity <= 0:
        errors["quantity"] = _l("The quantity must be more than zero.")
    elif quantity > left:
        errors["quantity"] = _l("More than is left to deliver on this pairing.")
    if errors:
        raise Invalid(errors)
    report = ProgressReport(pairing_id=pairing.id, quantity=quantity, delivered_on=delivered_on,
                            note=note, status="reported", reported_by_id=actor.id,
                            created_at=utcnow())
    session.add(report)
    session.flush()
    for content_type, safe, data in checked:
        stored = evidence.store(data, content_type)
        uploads.written(session, evidence.path_of(stored))
        session.add(EvidenceFile(report_id=report.id, stored_name=stored, original_name=safe,
                                 content_type=content_type, size=len(data),
                                 created_at=utcnow()))
    session.flush()
    audit.record(actor, "report.create", report, after=audit.snapshot(report, REPORT_AUDIT)
                 | {"files": len(checked)}, session=session)
    notify(session, pairing.need.village.secretary_id, "report.new",
           _link("matching.pairing", pairing_id=pairing.id), id=pairing.id)
    return report


def _tell_both(session: Session, pairing: Pairing, kind: str, **params: object) -> None:
    """Inbox and e-mail to the pairing's enterprise officer and village secretary."""
    for uid in {pairing.offer.enterprise.officer_id, pairing.need.village.secretary_id}:
        notify(session, uid, kind, _link("matching.pairing", pairing_id=pairing.id),
               id=pairing.id, **params)


def _count(actor: User | None, report: ProgressReport, session: Session, sign: int = 1) -> None:
    """A confirmed or upheld report delivers (sign 1): pairing and need follow, and a
    pairing delivered in full is fulfilled. A counted report withdrawn (sign -1) gives
    the quantity back, and a fulfilled pairing it leaves short is active again."""
    pairing = _lock(session, Pairing, report.pairing_id)
    need = _lock(session, Need, pairing.need_id)
    pairing.delivered_quantity += sign * report.quantity
    needs.change_met(actor, need, sign * report.quantity, session)
    full = pairing.delivered_quantity >= pairing.quantity
    if full and pairing.status == "active":
        pairing.status, pairing.closed_at = "fulfilled", utcnow()
        _tell_both(session, pairing, "pairing.fulfilled")
    elif not full and pairing.status == "fulfilled":
        pairing.status, pairing.closed_at = "active", None
    session.flush()


def withdraw_report(actor: User | None, report_id: int, note: str, session: Session) -> None:
    """What a report delivered turned out not to reach the village (a matched gift was
    refunded): the report is withdrawn and, if it had counted, pairing and need give the
    quantity back, and a fulfilled pairing is active again. Figures follow the rows."""
    report = _lock(session, ProgressReport, report_id)
    if report.status in ("withdrawn", "rejected"):
        return
    before = audit.snapshot(report, REPORT_AUDIT)
    counted = report.status in ("confirmed", "upheld")
    report.status, report.decision_note = "withdrawn", note[:1000]
    if counted:
        _count(actor, report, session, sign=-1)
    session.flush()
    audit.record(actor, "report.withdraw", report, before=before,
                 after=audit.snapshot(report, REPORT_AUDIT), session=session)
    _tell_both(session, report.pairing, "report.withdrawn")


def confirm_report(actor: User, report: ProgressReport, session: Session | None = None) -> None:
    session = _s(session)
    if not is_village_of(actor, report.pairing):
        raise NotAllowed
    begin_write(session)
    report = _lock(session, ProgressReport, report.id)
    if report.status != "reported":
        raise Invalid({"status": _l("This report has already been answered.")})
    before = audit.snapshot(report, REPORT_AUDIT)
    report.status, report.answered_by_id, report.answered_at = "confirmed", actor.id, utcnow()
    _count(actor, report, session)
    audit.record(actor, "report.confirm", report, before=before,
                 after=audit.snapshot(report, REPORT_AUDIT), session=session)
    notify(session, report.pairing.offer.enterprise.officer_id, "report.confirmed",
           _link("matching.pairing", pairing_id=report.pairing_id), id=report.pairing_id)


def verifiers_of(session: Session, county_code: str) -> list[User]:
    staff = session.scalars(select(User).where(User.role == Role.VERIFIER, User.active))
    return [u for u in staff if u.covers(county_code)]


def dispute_report(actor: User, report: ProgressReport, reason: str,
                   session: Session | None = None) -> None:
    session = _s(session)
    if not is_village_of(actor, report.pairing):
        raise NotAllowed
    reason = (reason or "").strip()
    if not reason:
        raise Invalid({"reason": _l("Say what is wrong with the report: the verifier reads it.")})
    if len(reason) > 1000:
        raise Invalid({"reason": _l("At most %(n)d characters.", n=1000)})
    begin_write(session)
    report = _lock(session, ProgressReport, report.id)
    if report.status != "reported":
        raise Invalid({"status": _l("This report has already been answered.")})
    before = audit.snapshot(report, REPORT_AUDIT)
    report.status, report.dispute_reason = "disputed", reason
    report.answered_by_id, report.answered_at = actor.id, utcnow()
    session.flush()
    audit.record(actor, "report.dispute", report, before=before,
                 after=audit.snapshot(report, REPORT_AUDIT), session=session)
    link = _link("matching.pairing", pairing_id=report.pairing_id)
    pairing = report.pairing
    for uid in {pairing.offer.enterprise.officer_id,
                *(v.id for v in verifiers_of(session, pairing.need.village.county_code))}:
        notify(session, uid, "report.disputed", link, id=pairing.id)


def decide_dispute(actor: User, report: ProgressReport, uphold: bool, note: str,
                   session: Session | None = None) -> None:
    """A verifier of the village's county: the report stands (counts) or does not."""
    session = _s(session)
    if not is_verifier_of(actor, report.pairing):
        raise NotAllowed
    note = (note or "").strip()
    if not note:
        raise Invalid({"note": _l("Give the reason for the decision: both sides read it.")})
    begin_write(session)
    report = _lock(session, ProgressReport, report.id)
    if report.status != "disputed":
        raise Invalid({"status": _l("This report is not disputed.")})
    before = audit.snapshot(report, REPORT_AUDIT)
    report.status = "upheld" if uphold else "rejected"
    report.decision_note = note[:1000]
    report.decided_by_id, report.decided_at = actor.id, utcnow()
    if uphold:
        _count(actor, report, session)
    session.flush()
    audit.record(actor, "report.decide", report, before=before,
                 after=audit.snapshot(report, REPORT_AUDIT), session=session)
    _tell_both(session, report.pairing, "report.decided", answer=report.status)


def disputes_for(actor: User) -> Select:
    q = (select(ProgressReport).join(ProgressReport.pairing).join(Pairing.need)
         .join(Need.village).where(ProgressReport.status == "disputed")
         .order_by(ProgressReport.answered_at))
    if actor.jurisdiction and actor.jurisdiction != "CN":
        q = q.where(Village.county_code.startswith(actor.jurisdiction))
    return q


def lapse_pairings(session: Session, now: datetime) -> int:
    """Past their end without full delivery: lapsed; the undelivered part of the offer is
    free again."""
    begin_write(session)
    due = list(session.scalars(select(Pairing).where(
        Pairing.status == "active", Pairing.ends_on < local_date(now)).with_for_update()))
    for p in due:
        before = audit.snapshot(p, ("status", "delivered_quantity"))
        p.status, p.closed_at = "lapsed", now
        offer = _lock(session, Offer, p.offer_id)
        offers.change_paired(None, offer, -(p.quantity - p.delivered_quantity), session)
        audit.record(None, "pairing.lapse", p, before=before,
                     after=audit.snapshot(p, ("status", "delivered_quantity")), session=session)
        _tell_both(session, p, "pairing.lapsed")
    session.flush()
    return len(due)


def _history() -> Select:
    return (select(Pairing).join(Pairing.offer).join(Offer.enterprise).join(Pairing.need)
            .join(Need.village)
            .options(joinedload(Pairing.offer).joinedload(Offer.enterprise),
                     joinedload(Pairing.need).joinedload(Need.village))
            .order_by(Pairing.created_at.desc(), Pairing.id.desc()))


def pairings_of_village(village_id: int, session: Session | None = None) -> list[Pairing]:
    return list(_s(session).scalars(_history().where(Village.id == village_id)).unique())


def pairings_of_enterprise(enterprise_id: int, session: Session | None = None) -> list[Pairing]:
    return list(_s(session).scalars(_history().where(Enterprise.id == enterprise_id)).unique())


def pairings_of(actor: User) -> Select:
    """The actor's own pairings (enterprise officer or secretary; staff: their
    jurisdiction's), newest first, for a keyset pager (pairing/pages.py)."""
    q = _history()
    if actor.role == Role.ENTERPRISE:
        q = q.where(Enterprise.officer_id == actor.id)
    elif actor.role == Role.SECRETARY:
        q = q.where(Village.secretary_id == actor.id)
    elif actor.jurisdiction and actor.jurisdiction != "CN":
        q = q.where(Village.county_code.startswith(actor.jurisdiction))
    return q


# Village-shop procurement ---------------------------------------------------------------


