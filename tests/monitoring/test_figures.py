"""The verifier's figures per village and per cadre beside the county's: exact arithmetic on
constructed data, and the same figures read from records made through the services (both
databases)."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from giving_helpers import COUNTY
from monitoring_helpers import make_place, visit

import support
from pairing.accounts.models import User
from pairing.extensions import db
from pairing.giving.models import Household
from pairing.monitoring import evaluation, figures, services
from pairing.monitoring.figures import CountyData, HouseholdRow, VisitRow

NOW = datetime(2021, 7, 1, 12, 0)  # the last quarter starts on 2021-04-01 (91 days)
A, B = 1, 2  # villages
OLD, ONE, TWO = 9, 10, 11  # cadres; OLD was household 4's cadre when it rated


def _h(hid: int, village: int, cadre: int | None, watched: bool = False) -> HouseholdRow:
    return HouseholdRow(hid, village, cadre, None, None, False, watched, "poor")


def _v(hid: int, village: int, day: date, income: int) -> VisitRow:
    return VisitRow(hid, village, None, day, income, (income,), None, NOW)


def _data() -> CountyData:
    data = CountyData(COUNTY, villages={A: "十八洞村", B: "排碧村"})
    data.households = [_h(1, A, ONE, True), _h(2, A, ONE, True), _h(3, A, TWO),
                       _h(4, B, TWO), _h(5, B, None)]
    data.visits = [
        _v(1, A, date(2020, 6, 1), 4000), _v(1, A, date(2021, 6, 15), 5000),    # +25 %
        _v(2, A, date(2020, 1, 1), 8000), _v(2, A, date(2021, 3, 31), 6000),    # -25 %, old
        _v(3, A, date(2021, 4, 1), 3000),                       # first day of the quarter
        _v(4, B, date(2020, 7, 1), 5000), _v(4, B, date(2020, 12, 1), 1000),  # under a year
        _v(4, B, date(2021, 7, 1), 5500),                       # +10 % on 2020-07-01
    ]
    data.events = [(1, "exit", False, NOW), (1, "watch_in", True, NOW),
                   (2, "watch_in", False, NOW), (4, "exit", False, NOW)]
    # (household, cadre rated, visits score, help score)
    data.ratings = [(1, ONE, 5, 4), (3, TWO, 2, 3), (4, OLD, 1, 1)]
    return data


def _figures(row: figures.Row) -> tuple:
    return (row.label, row.households, row.visited_share, row.income_change, row.exits,
            row.returns, row.watched, row.rating, row.ratings)


def test_the_review_figures_add_up_on_constructed_data():
    names = {OLD: "old cadre", ONE: "cadre one", TWO: "cadre two"}
    county, villages, cadres = figures.review(_data(), names.__getitem__, "花垣县", now=NOW)
    assert _figures(county) == ("花垣县", 5, 3 / 5, pytest.approx(10 / 3), 2, 1, 2,
                                pytest.approx((4.5 + 2.5 + 1) / 3), 3)
    assert [(vid, _figures(r)) for vid, r in villages] == [
        (A, ("十八洞村", 3, 2 / 3, 0.0, 1, 1, 2, 3.5, 2)),
        (B, ("排碧村", 2, 1 / 2, 10.0, 1, 0, 0, 1.0, 1)),
    ]
    # A household's rating stays with the cadre it rated, not the one named since.
    assert [_figures(r) for r in cadres] == [
        ("old cadre", 0, None, None, 0, 0, 0, 1.0, 1),
        ("cadre one", 2, 1 / 2, 0.0, 1, 1, 2, 4.5, 1),
        ("cadre two", 2, 2 / 2, 10.0, 1, 0, 0, 2.5, 1),
    ]


def test_a_village_without_visits_shows_no_share_change_or_rating():
    data = CountyData(COUNTY, villages={A: "十八洞村"}, households=[_h(1, A, ONE)])
    county, villages, cadres = figures.review(data, str, "花垣县", now=NOW)
    assert _figures(villages[0][1]) == ("十八洞村", 1, 0.0, None, 0, 0, 0, None, 0)
    assert _figures(cadres[0]) == (str(ONE), 1, 0.0, None, 0, 0, 0, None, 0)


def test_the_figures_read_from_records_made_through_the_site(app):
    """Two households: one visited a year apart (+50 %), exits, returns to the watch list and
    rates its cadre; then the secretary names another cadre for it."""
    place = make_place(app, n=2)
    first, second = place.households
    visit(app, place.cadre.id, first, date(2019, 6, 1), 6000)
    visit(app, place.cadre.id, first, date(2020, 3, 1), 9000)
    visit(app, place.cadre.id, second, date(2019, 6, 1), 9000)
    later = support.make_user(app, "secretary", name="石拔三")
    with app.app_context():
        secretary = db.session.get(User, place.secretary.id)
        household = db.session.get(Household, first)
        services.confirm_exit(db.session.get(User, place.verifier.id), household)
        evaluation.rate_cadre(secretary, services.state_of(household), 4, 3, "")
        db.session.commit()
    visit(app, place.cadre.id, first, date(2020, 9, 1), 9000, shock="job_loss")  # returns
    with app.app_context():
        services.assign_cadre(db.session.get(User, place.secretary.id),
                              db.session.get(Household, first), later.email)
        db.session.commit()
        data = figures.gather(COUNTY)
    county, villages, cadres = figures.review(
        data, {place.cadre.id: "施金通", later.id: "石拔三"}.__getitem__, "花垣县",
        now=datetime(2020, 10, 1))
    assert _figures(county) == ("花垣县", 2, 1 / 2, 50.0, 1, 1, 1, 3.5, 1)
    assert _figures(villages[0][1])[1:] == _figures(county)[1:]
    assert [_figures(r) for r in cadres] == [
        ("施金通", 1, 0.0, None, 0, 0, 0, 3.5, 1),
        ("石拔三", 1, 1.0, 50.0, 1, 1, 1, None, 0),
    ]
    # Once 施金通 has no household left, the verifier's page still shows their rating.
    with app.app_context():
        services.assign_cadre(db.session.get(User, place.secretary.id),
                              db.session.get(Household, second), later.email)
        db.session.commit()
    client = app.test_client()
    support.login(client, place.verifier.email)
    text = client.get("/monitoring/review").get_data(as_text=True)
    former = text[text.index("施金通"):]
    assert "3.5 (1)" in former[:former.index("</tr>")]
