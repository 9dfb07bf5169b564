"""Building blocks for monitoring tests: a village with households, visits on given days."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask import Flask
from giving_helpers import COUNTY, make_household, make_village

import support
from pairing.accounts.models import User
from pairing.extensions import db
from pairing.giving.models import Household
from pairing.monitoring import services
from pairing.monitoring.models import MonitoredHousehold, Visit


@dataclass(frozen=True)
class Place:
    secretary: support.UserRef
    cadre: support.UserRef
    verifier: support.UserRef
    village_id: int
    households: list[int]


def make_place(app: Flask, n: int = 1, county: str = COUNTY, name: str = "十八洞村",
               first_seq: int = 1, tie: bool = False) -> Place:
    secretary = support.make_user(app, "secretary")
    cadre = support.make_user(app, "secretary", name="施金通")
    verifier = support.make_user(app, "verifier", jurisdiction=county)
    village = make_village(app, secretary.id, name=name, county=county)
    ids = [make_household(app, secretary.id, village, seq=first_seq + i, tie=tie)
           for i in range(n)]
    with app.app_context():
        actor = db.session.get(User, secretary.id)
        for hid in ids:
            services.assign_cadre(actor, db.session.get(Household, hid), cadre.email)
        db.session.commit()
    return Place(secretary, cadre, verifier, village, ids)


def visit(app: Flask, actor_id: int, household_id: int, day: date, income: int,
          recorded_at: datetime | None = None, **kwargs) -> int:
    with app.app_context():
        v = services.record_visit(db.session.get(User, actor_id),
                                  db.session.get(Household, household_id),
                                  services.VisitData(visited_on=day, income_per_capita=income,
                                                     **kwargs))
        if recorded_at is not None:
            v.created_at = recorded_at
        db.session.commit()
        return v.id


def standing(app: Flask, household_id: int) -> MonitoredHousehold:
    with app.app_context():
        state = db.session.get(MonitoredHousehold, household_id)
        db.session.expunge(state)
        return state


def visits_of(app: Flask, household_id: int) -> list[int]:
    with app.app_context():
        return [v.income_per_capita for v in db.session.query(Visit).filter_by(
            household_id=household_id).order_by(Visit.id)]
