"""Every monitoring page answers in Chinese and in English for the roles it is for."""

from __future__ import annotations

from datetime import date

import pytest
from monitoring_helpers import make_place, visit

import support

LANGS = {"zh": "防返贫监测", "en": "Watch list"}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_pages_render_in_both_languages(app, lang):
    p = make_place(app)
    hid = p.households[0]
    visit(app, p.cadre.id, hid, date(2020, 5, 1), 5000, shock="illness")
    headers = {"Accept-Language": lang}
    pages = {
        p.secretary: ["/monitoring", "/monitoring?watch=1", f"/monitoring/households/{hid}",
                      f"/monitoring/households/{hid}/visits/new",
                      f"/monitoring/households/{hid}/cadre-rating",
                      f"/giving/households/{hid}/card"],
        p.cadre: [f"/monitoring/households/{hid}"],
        p.verifier: ["/monitoring", "/monitoring/review", "/monitoring/complaints",
                     f"/monitoring/households/{hid}"],
        support.make_user(app, "verifier", jurisdiction="43"): ["/monitoring/review",
                                                                "/monitoring/review?county=433124"],
        support.make_user(app, "coordinator", jurisdiction="CN"): ["/monitoring/lines"],
        None: [f"/monitoring/card/{hid}", "/monitoring/figures", "/dashboard"],
    }
    for user, paths in pages.items():
        client = app.test_client()
        if user is not None:
            support.login(client, user.email)
        for path in paths:
            page = client.get(path, headers=headers)
            assert page.status_code == 200, (path, page.status_code)
    text = app.test_client().get("/monitoring/figures", headers=headers).get_data(as_text=True)
    assert ("脱贫" if lang == "zh" else "Exits confirmed") in text
    client = app.test_client()
    support.login(client, p.secretary.email)
    text = client.get(f"/monitoring/households/{hid}", headers=headers).get_data(as_text=True)
    assert LANGS[lang] in text
    assert ("重大疾病" if lang == "zh" else "Serious illness") in text
    inbox = client.get("/inbox", headers=headers).get_data(as_text=True)
    assert ("已纳入防返贫监测" if lang == "zh" else "entered the return-to-poverty watch list"
            ) in inbox
    card = client.get(f"/giving/households/{hid}/card", headers=headers).get_data(as_text=True)
    assert f"/monitoring/card/{hid}" in card  # the printed card leads to the rating form
