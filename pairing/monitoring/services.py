"""Households over time: the yearly poverty line, visits, the exit rule and the watch rule.

Exit: the latest visit of the year shows an income above that year's line and every one of
the two assurances and three guarantees (两不愁三保障), and a verifier who neither reports
on the household nor is its cadre confirms it. Watch (防返贫监测): a visit whose income is
under the line plus the year's margin, or that records a new illness, disability, disaster
or loss of work, puts the household on the watch list at once; it leaves the list by the
exit rule, with the margin added to the line.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..accounts.models import Role, User
from ..audit import services as audit
from ..db import begin_write, is_sqlite, today, utcnow
from ..giving.models import CAUSES, Household
from ..matching.services import _link
from . import alerts
from .models import SHOCKS, MonitoredHousehold, PovertyLine, StandingEvent, Visit
from .policy import MonitoringError, _s, may_confirm, may_edit_lines, may_record, may_see, require

# The national rural poverty line in yuan per person and year at each year's prices
# (2010 standard of 2,300 yuan at 2010 prices, as the National Bureau of Statistics
# published it). Later years take the latest line until a coordinator sets theirs.
DEFAULT_LINES = {2014: 2800, 2015: 2855, 2016: 2952, 2017: 2952, 2018: 2995, 2019: 3218,
                 2020: 4000}
DEFAULT_MARGIN_PCT = 50
CARD_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # nothing to misread on paper


@dataclass(frozen=True)
class Line:
    year: int
    line_yuan: int
    margin_pct: int
    official: bool  # the default, not a coordinator's figure

    @property
    def watch_below(self) -> int:
        """Incomes under this put a household on the watch list."""
        return self.line_yuan + self.line_yuan * self.margin_pct // 100


def line_for(year: int, session: Session | None = None) -> Line:
    row = _s(session).get(PovertyLine, year)
    if row is not None:
        return Line(year, row.line_yuan, row.margin_pct, False)
    known = [y for y in DEFAULT_LINES if y <= year] or [min(DEFAULT_LINES)]
    return Line(year, DEFAULT_LINES[max(known)], DEFAULT_MARGIN_PCT, True)


def lines(session: Session | None = None, until: int | None = None) -> list[Line]:
    """Every year from the first official line to `until` (this year by default)."""
    last = max([until or today().year, *_s(session).scalars(select(PovertyLine.year))])
    return [line_for(y, session) for y in range(min(DEFAULT_LINES), last + 1)]


def set_line(actor: User, year: int, line_yuan: int, margin_pct: int,
             session: Session | None = None) -> PovertyLine:
    session = _s(session)
    require(may_edit_lines(actor))
    if not 2000 <= year <= 2100:
        raise MonitoringError(_l("Give a year between 2000 and 2100."))
    if not 1 <= line_yuan <= 1_000_000 or not 0 <= margin_pct <= 200:
        raise MonitoringError(_l("The line must be a positive number of yuan and the margin "
                                 "0 to 200 per cent."))
    row = session.get(PovertyLine, year)
    before = {}
    if row is not None:
        before = audit.snapshot(row)
    else:
        row = PovertyLine(year=year)
        session.add(row)
    row.line_yuan, row.margin_pct = line_yuan, margin_pct
    row.updated_by_id, row.updated_at = actor.id, utcnow()
    session.flush()
    audit.record(actor, "monitoring.line", row, before=before, after=audit.snapshot(row),
                 session=session)
    return row


# --- a household's standing -------------------------------------------------------------

def state_of(household: Household, session: Session | None = None) -> MonitoredHousehold | None:
    return _s(session).get(MonitoredHousehold, household.id)


def _ensure_state(household: Household, session: Session, lock: bool = False,
                  ) -> MonitoredHousehold:
    query = select(MonitoredHousehold).where(MonitoredHousehold.household_id == household.id)
    if lock and not is_sqlite(session):
        # The household's row is locked too: a first visit has no state row to lock yet.
        session.execute(select(Household.id).where(Household.id == household.id)
                        .with_for_update())
        # populate_existing: the row read before the lock (the access check) is stale once
        # another request's change has committed.
        query = query.with_for_update().execution_options(populate_existing=True)
    state = session.scalars(query).one_or_none()
    if state is None:
        state = MonitoredHousehold(household=household, card_code=new_card_code())
        session.add(state)
        session.flush()
    return state


def new_card_code() -> str:
    return "".join(secrets.choice(CARD_ALPHABET) for _ in range(8))


def assign_cadre(actor: User, household: Household, email: str,
                 session: Session | None = None) -> MonitoredHousehold:
    """The village's secretary names the cadre's account (a village work-team member signs
    up as a secretary-role account; the secretary may name themselves)."""
    session = _s(session)
    require(may_record(actor, household, state_of(household, session))
            and actor.role == Role.SECRETARY and household.village.secretary_id == actor.id)
    cadre = session.scalar(select(User).where(User.email == email.strip().lower()))
    if cadre is None or not cadre.active or cadre.role != Role.SECRETARY:
        raise MonitoringError(_l("No active village cadre account has this e-mail address."))
    state = _ensure_state(household, session)
    before = audit.snapshot(state, ["cadre_id"])
    state.cadre_id = cadre.id
    audit.record(actor, "monitoring.cadre", state, before=before,
                 after=audit.snapshot(state, ["cadre_id"]), session=session)
    return state


def view(actor: User, household: Household, session: Session | None = None,
         ) -> tuple[MonitoredHousehold | None, list[Visit]]:
    """The household's standing and visits, newest first, for those allowed; logged."""
    session = _s(session)
    state = state_of(household, session)
    require(may_see(actor, household, state))
    audit.record(actor, "monitoring.viewed", household, session=session)
    visits = session.scalars(select(Visit).where(Visit.household_id == household.id)
                             .order_by(Visit.visited_on.desc(), Visit.id.desc())).all()
    return state, list(visits)


@dataclass
class VisitData:
    visited_on: date
    income_per_capita: int
    workers_away: int = 0
    workers_local: int = 0
    causes: tuple[str, ...] = ()
    food_clothing: bool = True
    schooling: bool = True
    medical: bool = True
    housing: bool = True
    water: bool = True
    shock: str = ""


def record_visit(actor: User, household: Household, data: VisitData,
                 session: Session | None = None) -> Visit:
    """Add a visit (history is never overwritten) and apply the watch rule to it."""
    session = _s(session)
    require(may_record(actor, household, state_of(household, session)))
    if data.visited_on > today() or data.visited_on.year < 2000:
        raise MonitoringError(_l("The visit's date cannot be in the future."))
    if not 0 <= data.income_per_capita <= 10_000_000:
        raise MonitoringError(_l("The income must be a number of yuan, not negative."))
    if not 0 <= data.workers_away <= 30 or not 0 <= data.workers_local <= 30:
        raise MonitoringError(_l("Members working must be 0 to 30."))
    if any(c not in CAUSES for c in data.causes) or data.shock not in ("", *SHOCKS):
        raise MonitoringError(_l("Unknown cause of poverty."))
    begin_write(session)
    state = _ensure_state(household, session, lock=True)
    visit = Visit(household_id=household.id, visited_on=data.visited_on,
                  income_per_capita=data.income_per_capita, workers_away=data.workers_away,
                  workers_local=data.workers_local, causes=",".join(data.causes),
                  food_clothing=data.food_clothing, schooling=data.schooling,
                  medical=data.medical, housing=data.housing, water=data.water,
                  shock=data.shock, recorded_by_id=actor.id)
    session.add(visit)
    session.flush()
    audit.record(actor, "monitoring.visit", visit, after=audit.snapshot(visit), session=session)
    reason = watch_reason(visit, line_for(visit.visited_on.year, session))
    if reason and not state.watched:
        _event(session, actor, state, "watch_in", reason, visit)
        state.watched, state.watch_reason, state.watched_since = True, reason, utcnow()
        alerts.tell_watch(session, household,
                          _link("monitoring.household", household_id=household.id))
    return visit


def watch_reason(visit: Visit, line: Line) -> str:
    """Why this visit puts the household on the watch list, or '' when it does not."""
    if visit.shock:
        return visit.shock
    return "income" if visit.income_per_capita < line.watch_below else ""


def latest_visit(household: Household, session: Session | None = None) -> Visit | None:
    return _s(session).scalars(select(Visit).where(Visit.household_id == household.id)
                               .order_by(Visit.visited_on.desc(), Visit.id.desc())
                               .limit(1)).first()


def exit_blocker(visit: Visit | None, line: Line, watch: bool = False) -> object | None:
    """Why the latest visit does not allow an exit (or leaving the watch list), as a lazy
    translatable string; None when it allows it."""
    if visit is None:
        return _l("No visit is recorded.")
    bar = line.watch_below if watch else line.line_yuan
    if visit.income_per_capita <= bar:
        return _l("The income recorded (%(income)s yuan) is not above %(bar)s yuan.",
                  income=visit.income_per_capita, bar=bar)
    if not visit.guarantees_hold:
        return _l("Not every assurance and guarantee (两不愁三保障) holds.")
    if visit.shock:
        return _l("The latest visit records a new hardship.")
    return None


def confirm_exit(actor: User, household: Household, session: Session | None = None) -> None:
    session = _s(session)
    require(may_confirm(actor, household, state_of(household, session)))
    begin_write(session)
    state = _ensure_state(household, session, lock=True)
    if state.standing == "exited":
        raise MonitoringError(_l("This household's exit is already confirmed."))
    visit = latest_visit(household, session)
    problem = exit_blocker(visit, line_for(visit.visited_on.year if visit else today().year,
                                           session))
    if problem is not None:
        raise MonitoringError(str(problem))
    _event(session, actor, state, "exit", "", visit)
    state.standing, state.exited_on = "exited", today()


def confirm_off_watch(actor: User, household: Household, session: Session | None = None,
                      ) -> None:
    session = _s(session)
    require(may_confirm(actor, household, state_of(household, session)))
    begin_write(session)
    state = _ensure_state(household, session, lock=True)
    if not state.watched:
        raise MonitoringError(_l("This household is not on the watch list."))
    visit = latest_visit(household, session)
    assert visit is not None  # a watched household has the visit that put it there
    problem = exit_blocker(visit, line_for(visit.visited_on.year, session), watch=True)
    if problem is not None:
        raise MonitoringError(str(problem))
    _event(session, actor, state, "watch_out", "", visit)
    state.watched, state.watch_reason, state.watched_since = False, "", None


def _event(session: Session, actor: User, state: MonitoredHousehold, kind: str, reason: str,
           visit: Visit | None) -> None:
    event = StandingEvent(household_id=state.household_id, kind=kind, reason=reason,
                          after_exit=state.standing == "exited" and kind == "watch_in",
                          visit_id=visit.id if visit else None, actor_id=actor.id, at=utcnow())
    session.add(event)
    session.flush()
    audit.record(actor, f"monitoring.{kind}", event, after=audit.snapshot(event),
                 session=session)
