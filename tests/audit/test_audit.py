"""The audit log records state changes without personal data; coordinators search it."""

from __future__ import annotations

from sqlalchemy import select

import support
from pairing.audit import services as audit
from pairing.audit.models import AuditEvent
from pairing.extensions import db


def test_personal_fields_are_named_but_not_copied(app, make_user):
    user = make_user("donor", email="secret-person@example.org", name="王秘密")
    with app.app_context():
        events = db.session.scalars(select(AuditEvent)
                                    .where(AuditEvent.object_id == str(user.id))).all()
        assert events and events[0].action == "user.create"
        text = repr([(e.before, e.after) for e in events])
        assert "secret-person" not in text and "王秘密" not in text
        assert "email" in events[0].changed and "display_name" in events[0].changed


def test_record_drops_personal_keys_given_by_the_caller(app):
    class Household:
        __tablename__ = "households"
        __personal_fields__ = frozenset({"head_name", "illness"})

    with app.app_context():
        event = audit.record(None, "household.update", Household(), object_id=7,
                             before={"head_name": "张三", "members": 3, "illness": "肺结核"},
                             after={"head_name": "张四", "members": 4, "illness": "肺结核"})
        db.session.commit()
        assert event.before == {"members": 3} and event.after == {"members": 4}
        assert event.changed == ["head_name", "members"]


def test_an_edit_names_the_personal_columns_it_changed_but_keeps_no_value(app):
    """snapshot() of a whole row and of chosen columns: a personal column that changed is
    listed in `changed`; its values reach neither before nor after."""
    from pairing.giving.models import Household

    household = Household(registration_no="R-1", head_name="张三", members=3,
                          income_per_capita=2100, causes="illness", cadre_name="李干部",
                          family_tie=False, address="一组 1 号")
    with app.app_context():
        before = audit.snapshot(household)
        household.income_per_capita, household.causes, household.members = 2600, "labour", 4
        household.cadre_name = "王干部"
        chosen = audit.snapshot(household, ["members", "cadre_name"])
        assert "王干部" not in repr(chosen) and "2600" not in repr(audit.snapshot(household))
        event = audit.record(None, "household.update", household, object_id=7,
                             before=before, after=audit.snapshot(household))
        db.session.commit()
        assert {"income_per_capita", "causes", "cadre_name", "members"} <= set(event.changed)
        assert not {"head_name", "address", "registration_no", "family_tie"} & set(event.changed)
        for values in (event.before, event.after):
            assert not {"income_per_capita", "causes", "cadre_name", "head_name"} & set(values)
        assert event.before["members"] == 3 and event.after["members"] == 4
        text = repr((event.before, event.after))
        assert "2100" not in text and "2600" not in text and "干部" not in text


def test_password_change_is_logged_without_hash(app, client, make_user):
    user = make_user("donor")
    support.login(client, user.email)
    support.post(client, "/account/password", {"current": support.PASSWORD,
                                               "password": "another long one",
                                               "confirm": "another long one"})
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.password"))
        assert event.actor_id == user.id and event.changed == ["password_hash"]
        assert event.before is None and event.after is None


def test_coordinator_searches_by_actor_object_and_time(app, coordinator_client, make_user):
    target = make_user("verifier", jurisdiction="43")
    support.post(coordinator_client, f"/admin/users/{target.id}/active")
    me = coordinator_client.user.id
    page = coordinator_client.get(f"/admin/audit?actor={me}&object_type=users"
                                  f"&object_id={target.id}").get_data(as_text=True)
    # the table, not the form's select, which offers every action
    assert "user.deactivate" in page.split("<tbody>")[1]
    page = coordinator_client.get("/admin/audit?action=user.deactivate&since=2000-01-01"
                                  "&until=2001-01-01").get_data(as_text=True)
    assert "user.deactivate" not in page.split("<tbody>")[1]
    r = coordinator_client.get("/admin/audit?since=yesterday", headers={"Accept-Language": "en"})
    assert "YYYY-MM-DD" in r.get_data(as_text=True)


def test_audit_log_is_for_coordinators_only(verifier_client, donor_client, client):
    assert verifier_client.get("/admin/audit").status_code == 403
    assert donor_client.get("/admin/audit").status_code == 403
    assert client.get("/admin/audit").status_code == 302
