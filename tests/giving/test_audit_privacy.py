"""The audit log of a household and its help request, through the secretary's and the
verifier's pages: every personal column is named as changed, none of its values is kept."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from giving_helpers import id_number, make_village
from sqlalchemy import String, cast, select

import support
from pairing.audit.models import AuditEvent
from pairing.extensions import db
from pairing.giving import idnumber
from pairing.giving.models import HelpRequest, Household

NUMBER = id_number(7)
# What the secretary types: each a value no other column of the test holds.
HOUSEHOLD = {"registration_no": "433124-0777", "head_name": "龙秘名",
             "id_number": NUMBER, "address": "九组 99 号", "members": 4,
             "income_per_capita": 3137, "causes": ["illness", "disability"],
             "cadre_name": "石秘干", "family_tie": "y", "consent_publish": "y",
             "consent_sensitive": "y"}
REQUEST = {"purpose": "medical", "title": "龙秘名的透析费", "story": "秘密故事：每周透析三次。",
           "diagnosis": "慢性肾衰竭秘症", "amount": "8000", "deadline": "2099-09-01"}
HOUSEHOLD_PERSONAL = {"registration_no", "head_name", "id_number_enc", "id_number_hash",
                      "id_number_masked", "address", "income_per_capita", "causes",
                      "cadre_name", "family_tie"}
REQUEST_PERSONAL = {"title", "story", "diagnosis"}


def _values(value: Any) -> Iterator[Any]:
    """Every scalar of a stored before/after, keys included, however deep."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _values(item)
    elif isinstance(value, list):
        for item in value:
            yield from _values(item)
    else:
        yield value


def _register_and_edit(app, secretary_client, make_user) -> tuple[int, int]:
    village = make_village(app, secretary_client.user.id)
    page = support.post(secretary_client, "/giving/households/new",
                        {"village": village, **HOUSEHOLD})
    assert page.status_code == 302, page.get_data(as_text=True)[:2000]
    with app.app_context():
        hid = db.session.scalar(select(Household.id))
    # withdrawn, then given again: the household's only edit
    support.post(secretary_client, f"/giving/households/{hid}/consent", {})
    support.post(secretary_client, f"/giving/households/{hid}/consent",
                 {"consent_publish": "y", "consent_sensitive": "y"})
    page = support.post(secretary_client, f"/giving/households/{hid}/requests/new", REQUEST)
    assert page.status_code == 302
    with app.app_context():
        rid = db.session.scalar(select(HelpRequest.id))
    support.post(secretary_client, f"/giving/requests/{rid}/submit")
    verifier = app.test_client()
    support.login(verifier, make_user("verifier", jurisdiction="43").email)
    assert verifier.get(f"/giving/verify/requests/{rid}").status_code == 200
    page = support.post(verifier, f"/giving/verify/requests/{rid}",
                        {"decision": "reject", "reason": "缺少诊断证明"})
    assert page.status_code == 302
    support.post(secretary_client, f"/giving/requests/{rid}/submit")
    with app.app_context():
        assert db.session.get(HelpRequest, rid).status == "submitted"
    return hid, rid


def test_the_log_of_a_household_and_its_request_keeps_no_personal_value(
        app, secretary_client, make_user):
    hid, rid = _register_and_edit(app, secretary_client, make_user)
    with app.app_context():
        h = db.session.get(Household, hid)
        secrets = [HOUSEHOLD[k] for k in ("registration_no", "head_name", "address",
                                          "cadre_name")]
        secrets += [NUMBER, h.id_number_hash, h.id_number_masked,
                    REQUEST["title"], REQUEST["story"], REQUEST["diagnosis"]]
        stored = db.session.execute(select(
            AuditEvent.action, AuditEvent.object_type, cast(AuditEvent.before, String),
            cast(AuditEvent.after, String), AuditEvent.changed)).all()
    actions = {action for action, *_rest in stored}
    assert {"household.registered", "household.consent", "household.viewed",
            "help_request.created", "help_request.submitted",
            "help_request.rejected"} <= actions
    personal = HOUSEHOLD_PERSONAL | REQUEST_PERSONAL
    for action, object_type, before, after, _changed in stored:
        # as stored: the database's JSON text (Chinese may be written as \\u escapes)
        text = f"{before} {after}"
        for secret in secrets:
            assert secret not in text and json.dumps(secret)[1:-1] not in text, (
                action, secret)
        if object_type not in ("households", "help_requests"):
            continue
        values = [json.loads(v) for v in (before, after) if v is not None]
        found = list(_values(values))
        assert not personal & set(found), (action, personal & set(found))
        # the household's income, its causes and the family tie: no value, under any key
        assert 3137 not in found and "illness,disability" not in found, action
    changed = {action: names for action, _type, _b, _a, names in stored}
    assert set(changed["household.registered"]) >= HOUSEHOLD_PERSONAL
    assert set(changed["help_request.created"]) >= REQUEST_PERSONAL
    assert changed["household.consent"] == ["consent_publish", "consent_sensitive"]
    # the rest of the registration is still kept
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "household.registered"))
        assert event.after["members"] == 4 and event.after["consent_publish"] is True
        assert event.object_id == str(hid)
        event = db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "help_request.created"))
        assert event.after["purpose"] == "medical" and event.after["amount_needed_fen"] \
            == 800_000 and event.object_id == str(rid)
        assert idnumber.decrypt(db.session.get(Household, hid).id_number_enc) == NUMBER
