"""A scan of every public page and JSON response of the demo for full ID numbers, full
names, addresses and illness details the household did not consent to publish."""

from __future__ import annotations

import re

from sqlalchemy import select

from pairing import demo
from pairing.extensions import db
from pairing.giving import idnumber
from pairing.giving.disclosure import illness_told
from pairing.giving.models import HelpRequest, Household


def _secrets(app) -> tuple[list[str], list[int], list[int]]:
    with app.app_context():
        demo.load(echo=lambda _msg: None)
        words: list[str] = []
        households = db.session.scalars(select(Household)).all()
        for h in households:
            words += [h.head_name, idnumber.decrypt(h.id_number_enc), h.address]
        for r in db.session.scalars(select(HelpRequest).where(
                HelpRequest.show_diagnosis.is_(False), HelpRequest.diagnosis != "")):
            words.append(r.diagnosis)
            words += [w for w in re.split(r"[（）()，、 ]", r.diagnosis) if len(w) >= 2]
        return (words, [h.id for h in households],
                list(db.session.scalars(select(HelpRequest.id))))


def test_public_pages_and_json_carry_no_personal_data(app):
    words, households, requests = _secrets(app)
    assert len(words) > 20
    client = app.test_client()
    urls = ["/", "/crowdfunding", "/crowdfunding.json"]
    urls += [f"/crowdfunding?sort={s}" for s in ("urgent", "newest", "nearly")]
    urls += [f"/crowdfunding/{r}" for r in requests] + [f"/crowdfunding/{r}.json"
                                                         for r in requests]
    urls += [f"/crowdfunding/household/{h}" for h in households]
    seen = 0
    for lang in ("zh", "en"):
        client.set_cookie("lang", lang)
        for url in urls:
            response = client.get(url)
            assert response.status_code in (200, 404), url
            if response.status_code != 200:
                continue
            seen += 1
            text = response.get_data(as_text=True)
            if url.endswith(".json"):
                text += repr(response.get_json())
            leaked = [w for w in words if w and w in text]
            assert leaked == [], (url, leaked)
    assert seen > 30
    page = client.get("/crowdfunding").get_data(as_text=True)
    assert "龙**" in page and "<progress" in page


def test_no_public_request_tells_an_illness_its_household_keeps_private(app):
    """The demo's stories that tell an illness belong to households that agreed to show it;
    the one that repeats its private details waits for the verifier, who is warned."""
    with app.app_context():
        demo.load(echo=lambda _msg: None)
        told = {r.title: (r.status, illness_told(r)) for r in db.session.scalars(select(HelpRequest))
                if illness_told(r)}
    assert told == {"吴阿姨的白内障手术": ("submitted", ["双眼白内障"])}
