"""Demo monitoring: three years of quarterly visits for the demo's households, exits
confirmed by the county, a few returns to the watch list, ratings both ways, and one
village (排碧村) whose figures trip the anti-fraud checks: incomes just above the line, the
same figures for several households, its last round of visits typed in twenty minutes and
its exits confirmed two weeks before the county's inspection."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..accounts.models import User
from ..db import today as beijing_today
from ..demo import DOMAIN, Demo
from ..giving import idnumber
from ..giving import services as giving
from ..giving.models import Household
from ..matching.models import Pairing
from . import evaluation, services
from .models import Inspection, MonitoredHousehold, StandingEvent, Visit

FRAUD_VILLAGE = "排碧村"
# household head names whose third year brings a new hardship: (quarter, shock, income factor)
RETURNS = {"龙水生": (10, "illness", 0.55), "王德富": (9, "disaster", 0.6),
           "石明芳": (11, "job_loss", 0.5)}
FRAUD_NAMES = ["龙老四", "石二妹", "杨金花", "吴老满", "麻阿保", "田秀珍", "隆有才", "向春生",
               "梁水英", "彭金贵"]


def _at(day: date, hour: int = 16) -> datetime:
    return datetime.combine(day, datetime.min.time()) + timedelta(hours=hour)


def _visit(session: Session, actor: User, h: Household, day: date, income: int,
           recorded_at: datetime, **kw: object) -> Visit:
    visit = services.record_visit(actor, h, services.VisitData(
        visited_on=day, income_per_capita=income, **kw), session)
    visit.created_at = recorded_at
    for e in session.scalars(select(StandingEvent).where(StandingEvent.visit_id == visit.id)):
        e.at = recorded_at  # the watch list entry dates from the visit, not from the load
    return visit


def _exit(session: Session, verifier: User, h: Household, when: datetime) -> None:
    services.confirm_exit(verifier, h, session)
    state = session.get(MonitoredHousehold, h.id)
    state.exited_on = when.date()
    session.scalars(select(StandingEvent).where(
        StandingEvent.household_id == h.id, StandingEvent.kind == "exit")
        .order_by(StandingEvent.id.desc())).first().at = when


def _off_watch(session: Session, verifier: User, h: Household, when: datetime) -> None:
    services.confirm_off_watch(verifier, h, session)
    session.scalars(select(StandingEvent).where(
        StandingEvent.household_id == h.id, StandingEvent.kind == "watch_out")
        .order_by(StandingEvent.id.desc())).first().at = when


def extend(session: Session, demo: Demo) -> None:
    rng, today = demo.rng, beijing_today()
    cadre = User(email=f"cadre@{DOMAIN}", display_name="驻村工作队 彭干部",
                 password_hash=demo.users["donor"].password_hash, role="secretary")
    session.add(cadre)
    session.flush()
    county_verifier = demo.users["verifier_county"]
    national = session.scalar(select(User).where(User.email == f"verifier.national@{DOMAIN}"))
    households = list(session.scalars(select(Household).order_by(Household.id)))
    first = today - timedelta(days=3 * 365 - 20)
    for h in households:
        secretary = h.village.secretary
        services.assign_cadre(secretary, h, cadre.email if h.village.name == "十八洞村"
                              else secretary.email, session)
        recorder = cadre if h.village.name == "十八洞村" else secretary
        verifier = county_verifier if h.village.county_code == county_verifier.jurisdiction \
            else national
        income = h.income_per_capita
        shock = RETURNS.get(h.head_name)
        for q in range(12):
            day = first + timedelta(days=91 * q + rng.randint(0, 20))
            if day > today:
                break
            income = int(income * rng.uniform(1.05, 1.11))
            kw: dict[str, object] = {"workers_away": 1 + (q > 4), "workers_local": q % 2,
                                     "causes": tuple(h.cause_list) if q < 6 else (),
                                     "housing": q >= 3 or "housing" not in h.causes}
            if shock and q == shock[0]:
                income, kw["shock"] = int(income * shock[2]), shock[1]
            _visit(session, recorder, h, day, income, _at(day), **kw)
            state = session.get(MonitoredHousehold, h.id)
            line = services.line_for(day.year, session)
            latest = services.latest_visit(h, session)
            if state.standing == "poor" and q >= 4 and services.exit_blocker(
                    latest, line) is None:
                _exit(session, verifier, h, _at(day + timedelta(days=12), 10))
            if state.watched and services.exit_blocker(latest, line, watch=True) is None:
                _off_watch(session, verifier, h, _at(day + timedelta(days=15), 10))
    _fraud_village(session, demo, first, today)
    _ratings(session, demo)


def _fraud_village(session: Session, demo: Demo, first: date, today: date) -> None:
    village = next(v for v in demo.villages if v.name == FRAUD_VILLAGE)
    secretary, verifier = village.secretary, demo.users["verifier_county"]
    inspection = today - timedelta(days=40)
    session.add(Inspection(county_code=village.county_code, held_on=inspection,
                           created_by_id=verifier.id))
    line = services.line_for(inspection.year, session).line_yuan
    desk = _at(inspection - timedelta(days=20), 15)  # one afternoon at the desk
    for n, name in enumerate(FRAUD_NAMES):
        number = idnumber.make(village.county_code, date(1960 + n * 2, n % 12 + 1, 3 + n), 700 + n)
        h = giving.register_household(secretary, village, giving.HouseholdData(
            registration_no=f"{village.county_code}-8{n:03d}", head_name=name, id_number=number,
            address=f"{village.name}{n + 2}组", members=3 + n % 2, income_per_capita=2_900,
            causes=("labour",), cadre_name=secretary.display_name), session)
        services.assign_cadre(secretary, h, secretary.email, session)
        day = first + timedelta(days=120 + 3 * n)
        _visit(session, secretary, h, day, 3_100 + 37 * n, _at(day), causes=("labour",))
        # the last round: the same day for all, typed in minutes, half with the same figures
        income = line + 200 if n % 2 == 0 else line + 60 + 25 * n
        last = inspection - timedelta(days=21)
        _visit(session, secretary, h, last, income, desk + timedelta(minutes=2 * n),
               workers_away=1)
        _exit(session, verifier, h, _at(inspection - timedelta(days=14 - n % 3), 11))


def _ratings(session: Session, demo: Demo) -> None:
    """The village and the enterprise rate each pairing with a confirmed delivery; a few
    households rate their cadre, one complains to the county."""
    comments = ["茶苗按时送到，还派了技术员", "培训很实用", "比约定晚了两周", ""]
    for n, pairing in enumerate(session.scalars(select(Pairing).order_by(Pairing.id))):
        if "delivery" not in evaluation.open_stages(pairing, session):
            continue
        evaluation.rate_pairing(pairing.need.village.secretary, pairing, "delivery",
                                evaluation.Scores(on_time=5 - n % 3, as_promised=4 + n % 2,
                                                  useful=5 - n % 2,
                                                  comment=comments[n % len(comments)]), session)
        evaluation.rate_pairing(pairing.offer.enterprise.officer, pairing, "delivery",
                                evaluation.Scores(cooperation=4 + n % 2), session)
    states = list(session.scalars(select(MonitoredHousehold).order_by(
        MonitoredHousehold.household_id)))
    for n, state in enumerate(states[:6]):
        secretary = state.household.village.secretary
        evaluation.rate_cadre(secretary if n % 2 else None, state, 5 - n % 2, 4 + n % 2,
                              "彭干部常来，帮着联系了务工" if n == 0 else "", session)
    evaluation.complain(states[-1], "干部只在检查前来过一次，登记的收入跟我家实际对不上。",
                        session)
