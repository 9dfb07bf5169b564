"""The round page says "proven optimal" when the solver's answer reaches its bound, and
the gap otherwise; the figures name the flow engine."""

from __future__ import annotations

from matching import mhelp as h

from pairing.extensions import db
from pairing.matching.models import Round


def test_round_page_says_proven_optimal_or_shows_the_gap(app, make_user, coordinator_client):
    m = h.market(app, make_user)
    rid = h.run_round(app, m.coordinator)
    with app.app_context():
        f = db.session.get(Round, rid).figures
    assert f["solver"]["optimal"] and f["solver"]["gap"] == 0.0 and f["solver"]["engine"] == "lemon"
    c = coordinator_client
    html = c.get(f"/rounds/{rid}").get_data(as_text=True)
    assert "已证明最优" in html
    c.set_cookie("lang", "en")
    assert "proven optimal" in c.get(f"/rounds/{rid}").get_data(as_text=True)
    with app.app_context():  # a round the exact stage could not prove (a larger one, or older figures)
        rnd = db.session.get(Round, rid)
        rnd.figures = f | {"solver": f["solver"] | {"optimal": False, "gap": 0.0123}}
        db.session.commit()
    html = c.get(f"/rounds/{rid}").get_data(as_text=True)
    assert "1.23%" in html and html.count("proven optimal") == 1  # the greedy baseline's column
    del m
