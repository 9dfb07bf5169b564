"""Housekeeping: a pairing whose progress report is overdue is told once per period.

A pairing reports at least every PAIRING_REPORT_DAYS (default 90) days. When an active
pairing has gone that long without a report (counted from its start), its enterprise
officer and village secretary are told, once per period of the pairing (the key
pairing:period in notice_once): the job runs every minute and must not repeat itself.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from ..db import local_date
from ..housekeeping import job
from .events import link
from .service import tell

BATCH = 500


def period_days() -> int:
    return max(1, int(current_app.config.get("PAIRING_REPORT_DAYS", 90)))


@job("notices.overdue_reports")
def overdue_reports(session: Session, now: datetime) -> int:
    from ..enterprises.models import Enterprise, Offer
    from ..matching.models import Pairing, ProgressReport
    from ..needs.models import Need
    from ..places.models import Village
    from .models import NoticeOnce

    days = period_days()
    since = now - timedelta(days=days)
    # Pairings start on Beijing dates: periods are counted on Beijing's calendar (on UTC's,
    # a period's notice came up to eight hours late).
    local = local_date(now)
    recent = exists().where(ProgressReport.pairing_id == Pairing.id,
                            ProgressReport.created_at >= since)
    rows = session.execute(
        select(Pairing.id, Pairing.starts_on, Enterprise.officer_id, Village.secretary_id)
        .join(Offer, Offer.id == Pairing.offer_id)
        .join(Enterprise, Enterprise.id == Offer.enterprise_id)
        .join(Need, Need.id == Pairing.need_id).join(Village, Village.id == Need.village_id)
        .where(Pairing.status == "active", Pairing.starts_on <= local - timedelta(days=days),
               ~recent)
        .order_by(Pairing.id)).all()
    told = 0
    for start in range(0, len(rows), BATCH):
        part = [(pid, f"{pid}:{(local - starts).days // days}", officer, secretary)
                for pid, starts, officer, secretary in rows[start:start + BATCH]]
        done = {(uid, key) for uid, key in session.execute(
            select(NoticeOnce.user_id, NoticeOnce.key).where(
                NoticeOnce.kind == "report.overdue",
                NoticeOnce.key.in_([key for _p, key, _o, _s in part])))}
        for pairing_id, key, officer_id, secretary_id in part:
            for uid in dict.fromkeys((officer_id, secretary_id)):
                if uid is None or (uid, key) in done:
                    continue
                tell(session, uid, "report.overdue",
                     link("matching.pairing", pairing_id=pairing_id), once=key,
                     id=pairing_id, days=days)
                told += 1
        if told >= BATCH:
            break  # the rest next minute
    return told
