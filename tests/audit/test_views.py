"""The audit page in the staff's language: labels for actions, object types and roles, the
raw code beside each, and a select of known actions that keeps `action=<code>` links."""

from __future__ import annotations

import re

import pytest

from pairing.audit import services as audit
from pairing.extensions import db

ZH, EN = {"Accept-Language": "zh"}, {"Accept-Language": "en"}


@pytest.fixture
def events(app, coordinator_client):
    """A refund by the coordinator, a household registration, a help request's funding
    and an event of a code no release labels (written by older code)."""
    with app.app_context():
        me = coordinator_client.user.id
        from pairing.accounts.models import User

        actor = db.session.get(User, me)
        audit.record(actor, "donation.refunded", object_type="donations", object_id=31)
        audit.record(None, "household.registered", object_type="households", object_id=32)
        audit.record(None, "help_request.funded", object_type="help_requests", object_id=33)
        audit.record(None, "helpxrequest.legacy", object_type="old_things", object_id=34)
        db.session.commit()
    return coordinator_client


def rows(client, query: str = "", headers=ZH) -> str:
    r = client.get(f"/admin/audit{query}", headers=headers)
    assert r.status_code == 200
    return r.get_data(as_text=True).split("<tbody>")[1].split("</tbody>")[0]


def selected(client, name: str, query: str, headers=ZH) -> str:
    """The option a browser shows chosen in the form's select `name`."""
    page = client.get(f"/admin/audit{query}", headers=headers).get_data(as_text=True)
    select = re.search(rf'<select name="{name}">(.*?)</select>', page, re.S).group(1)
    chosen = re.search(r"<option[^>]*selected[^>]*>([^<]*)</option>", select)
    # with none selected a browser shows the first option
    return chosen.group(1) if chosen else re.search(r"<option[^>]*>([^<]*)<", select).group(1)


def test_a_chinese_page_names_each_action_and_keeps_its_code(events):
    table = rows(events)
    assert "捐赠退款" in table and "登记农户" in table and "求助已筹满" in table
    assert "donation.refunded" in table and "household.registered" in table
    assert "捐赠 31" in table and "农户 32" in table and "协调员" in table
    assert "Donation refunded" not in table


def test_an_english_page_names_them_in_english(events):
    table = rows(events, headers=EN)
    assert "Donation refunded" in table and "Household registered" in table
    assert "Coordinator" in table and "捐赠退款" not in table


def test_an_unknown_code_shows_as_itself(events):
    table = rows(events, "?action=helpxrequest.legacy&object_type=old_things")
    assert "helpxrequest.legacy" in table and "old_things 34" in table
    # the old link's values stay chosen in the form although nothing labels them
    assert selected(events, "action", "?action=helpxrequest.legacy") == "helpxrequest.legacy"
    assert selected(events, "object_type", "?object_type=old_things") == "old_things"


def test_the_action_select_filters_and_old_links_still_work(events):
    assert selected(events, "action", "") == "全部操作"
    assert selected(events, "action", "?action=donation.refunded") == "捐赠退款"
    table = rows(events, "?action=donation.refunded")
    assert "捐赠退款" in table and "登记农户" not in table and "求助已筹满" not in table


def test_a_group_choice_finds_every_action_of_that_group_only(events):
    assert selected(events, "action", "?action=help_request.*", EN) == \
        "Help requests: every action"
    table = rows(events, "?action=help_request.*")
    # "_" is no wildcard: help_request.* does not find helpxrequest.legacy
    assert "求助已筹满" in table and "helpxrequest" not in table and "捐赠退款" not in table


def test_the_object_type_select_filters_by_label(events):
    assert selected(events, "object_type", "?object_type=households") == "农户"
    table = rows(events, "?object_type=households")
    assert "登记农户" in table and "捐赠退款" not in table


def test_staff_other_than_coordinators_are_still_refused(verifier_client, donor_client,
                                                        client):
    for c in (verifier_client, donor_client):
        assert c.get("/admin/audit?action=donation.refunded").status_code == 403
    assert client.get("/admin/audit?action=user.*").status_code == 302


@pytest.fixture
def changes(app, coordinator_client):
    """A help request's funding (money, a flag, nothing yet) and a shop setting's change."""
    with app.app_context():
        audit.record(None, "help_request.funded", object_type="help_requests", object_id=41,
                     before={"raised_fen": 123456, "show_diagnosis": False,
                             "reject_reason": None},
                     after={"raised_fen": 250000, "show_diagnosis": True,
                            "reject_reason": None, "title": "猕猴桃冷库"})
        audit.record(None, "shop.settings.change", object_type="shop_settings",
                     object_id="badge", before={"taobao_sales_fen": 1_000_000_000},
                     after={"taobao_sales_fen": 500_000_050, "legacy_column": 3})
        db.session.commit()
    return coordinator_client


def changed_cells(table: str) -> list[str]:
    return re.findall(r'data-label="[^"]*">(<ul class="fields">.*?</ul>)', table, re.S)


def test_changed_fields_are_named_with_their_column_beneath(changes):
    table = rows(changes, "?action=shop.settings.change")
    (cell,) = changed_cells(table)
    # the label the settings form uses for the column
    assert "标识所需年销售额（元）" in cell
    assert '<code class="code">taobao_sales_fen</code>' in cell
    # a field no release labels shows as itself, once
    assert "<li>legacy_column</li>" in cell
    (cell,) = changed_cells(rows(changes, "?action=shop.settings.change", EN))
    assert "Yearly shop sales for the badge (yuan)" in cell


def test_before_and_after_read_as_labelled_values_with_the_json_kept(changes):
    table = rows(changes, "?action=help_request.funded")
    assert "筹得善款（元）" in table and "¥1,234.56" in table and "¥2,500.00" in table
    assert "<dd>是</dd>" in table and "<dd>否</dd>" in table and "<dd>—</dd>" in table
    assert 'title="raised_fen"' in table and "raised_fen" in table
    # the stored JSON is one click away, unchanged
    assert "<details><summary>JSON</summary>" in table and "&#34;raised_fen&#34;: 123456" in table
    assert "&#34;title&#34;: &#34;猕猴桃冷库&#34;" in table  # Chinese stays readable there
    table = rows(changes, "?action=help_request.funded", EN)
    assert "Money raised (yuan)" in table and "<dd>yes</dd>" in table and "<dd>no</dd>" in table
    table = rows(changes, "?action=shop.settings.change", EN)
    assert "¥10,000,000.00" in table and "¥5,000,000.50" in table
    # a changed field's label stands out only where there is a before to compare with
    assert '<dt title="taobao_sales_fen" class="changed">' in table


def test_an_event_without_values_leaves_its_cells_empty(events):
    table = rows(events, "?action=donation.refunded")
    assert "<dl" not in table and "<details>" not in table and '<ul class="fields">' not in table


@pytest.fixture
def coded(app, coordinator_client):
    """One event per table with a code in each of its coded columns (labels.value_labels),
    and a household's causes stored as "a,b" beside one no release labels."""
    from pairing.audit.labels import value_labels

    with app.app_context():
        written = {}
        for number, (table, columns) in enumerate(value_labels().items(), start=100):
            after = {column: next(iter(labels)) for column, labels in columns.items()}
            audit.record(None, "legacy.coded", object_type=table, object_id=number,
                         after=after)
            written[table] = after
        audit.record(None, "household.registered", object_type="households", object_id=99,
                     before={"causes": "illness,labour"}, after={"causes": "illness,xfactor"})
        db.session.commit()
    coordinator_client.written = written
    return coordinator_client


def values_of(table: str) -> dict[str, str]:
    """The shown value of each field of an After cell: {column: the <dd>'s HTML}."""
    return dict(re.findall(r'<dt title="([^"]+)"[^>]*>[^<]*</dt><dd>(.*?)</dd>', table, re.S))


def test_a_field_of_codes_shows_each_codes_label_with_the_code_beside_it(coded):
    from pairing.audit.labels import value_labels

    for table, after in coded.written.items():
        shown = values_of(rows(coded, f"?action=legacy.coded&object_type={table}"))
        for column, code in after.items():
            # not the raw code alone, but the Chinese label and the code small beside it
            assert shown[column] != str(code), f"{table}.{column} shows its raw code"
            label = value_labels()[table][column][code]
            with coded.application.test_request_context(headers=ZH):
                zh = str(label)
            assert re.search(r"[\u4e00-\u9fff]", zh), f"{table}.{column}: {zh!r} untranslated"
            assert shown[column] == f'{zh} <code class="code">{code}</code>', (table, column)


def test_help_requests_and_households_read_in_chinese_and_english(coded, app):
    with app.app_context():
        audit.record(None, "help_request.submitted", object_type="help_requests", object_id=7,
                     before={"status": "draft"}, after={"status": "submitted",
                                                        "purpose": "medical"})
        db.session.commit()
    table = rows(coded, "?action=help_request.submitted")
    assert "<dd>draft</dd>" not in table and "<dd>medical</dd>" not in table
    assert '草稿 <code class="code">draft</code>' in table
    assert "医疗救助" in table and '<code class="code">medical</code>' in table
    table = rows(coded, "?action=help_request.submitted", EN)
    assert 'Draft <code class="code">draft</code>' in table and "Medical costs" in table
    # each cause by its label; a code no release labels as itself; the JSON as stored
    table = rows(coded, "?action=household.registered&object_id=99")
    assert '因病 <code class="code">illness</code>, 缺劳力 <code class="code">labour</code>' \
        in table
    assert '<code class="code">illness</code>, xfactor</dd>' in table
    assert "&#34;causes&#34;: &#34;illness,labour&#34;" in table


@pytest.fixture
def places(app, coordinator_client):
    """Events with payments' purposes, place codes of every kind (county, province,
    jurisdiction, preferred provinces, east–west pairs), codes of no known place, and a
    round's empty weights."""
    with app.app_context():
        audit.record(None, "payment.started", object_type="payments", object_id=51,
                     after={"provider": "manual", "purpose": "order", "reference": "order:5"})
        audit.record(None, "payment.confirmed", object_type="payments", object_id=52,
                     before={"purpose": "donation"}, after={"purpose": "legacy_thing"})
        audit.record(None, "village.register", object_type="villages", object_id=53,
                     after={"county_code": "433124", "name": "十八洞村"})
        audit.record(None, "user.jurisdiction", object_type="users", object_id=54,
                     before={"jurisdiction": "CN"}, after={"jurisdiction": "43"})
        audit.record(None, "offer.create", object_type="offers", object_id=55,
                     after={"provinces": "43,52", "county_code": "999999"})
        audit.record(None, "east_west.replace", object_type="east_west_pairs",
                     object_id="all", before={"pairs": []}, after={"pairs": ["31-52"]})
        audit.record(None, "round.create", object_type="rounds", object_id=56,
                     after={"status": "draft", "province_code": "52", "weights": {},
                            "error": ""})
        audit.record(None, "round.finish", object_type="rounds", object_id=57,
                     before={"province_code": None, "weights": {"fairness": 2.0}},
                     after={"province_code": "98", "weights": {"fairness": {}}})
        db.session.commit()
    return coordinator_client


def shown_in(client, query: str, headers=ZH) -> tuple[dict[str, str], dict[str, str]]:
    """values_of the Before and the After cell of the one event found."""
    table = rows(client, query, headers)
    before, after = re.findall(r'class="values">(.*?)</td>', table, re.S)
    return values_of(before), values_of(after)


def test_payments_purposes_show_by_their_labels_with_the_code_beside(places):
    _, after = shown_in(places, "?action=payment.started")
    assert after["purpose"] == '消费帮扶订单 <code class="code">order</code>'
    before, after = shown_in(places, "?action=payment.confirmed", EN)
    assert before["purpose"] == 'Donation <code class="code">donation</code>'
    assert after["purpose"] == "legacy_thing"  # a purpose no release labels: as itself


def test_place_codes_show_by_the_places_names_with_the_code_beside(places):
    _, after = shown_in(places, "?action=village.register")
    assert after["county_code"] == '湖南省 · 花垣县 <code class="code">433124</code>'
    _, after = shown_in(places, "?action=village.register", EN)
    assert after["county_code"] == 'Hunan · 花垣县 <code class="code">433124</code>'
    before, after = shown_in(places, "?action=user.jurisdiction")
    assert before["jurisdiction"] == '全国 <code class="code">CN</code>'
    assert after["jurisdiction"] == '湖南省 <code class="code">43</code>'
    _, after = shown_in(places, "?action=offer.create", EN)
    assert after["provinces"] == ('Hunan <code class="code">43</code>, '
                                  'Guizhou <code class="code">52</code>')
    assert after["county_code"] == "999999"  # no such county: the code as itself
    before, after = shown_in(places, "?action=east_west.replace", EN)
    assert before["pairs"] == "—"
    assert after["pairs"] == 'Shanghai → Guizhou <code class="code">31-52</code>'
    _, after = shown_in(places, "?action=round.create")
    assert after["province_code"] == '贵州省 <code class="code">52</code>'
    # the JSON stays as stored
    assert "&#34;province_code&#34;: &#34;52&#34;" in rows(places, "?action=round.create")


def test_empty_values_show_a_dash_whatever_their_type(places):
    _, after = shown_in(places, "?action=round.create")
    assert after["weights"] == "—" and after["error"] == "—"
    before, after = shown_in(places, "?action=round.finish")
    assert before["weights"] == "fairness: 2.0"
    assert after["province_code"] == "98" and after["weights"] == "fairness: —"


def test_a_round_without_a_province_reads_nationwide(places):
    """A round's empty scope is the whole country, as the round pages say; other empty
    place codes still show a dash."""
    before, _ = shown_in(places, "?action=round.finish")
    assert before["province_code"] == "全国"
    before, _ = shown_in(places, "?action=round.finish", EN)
    assert before["province_code"] == "Nationwide"
    before, _ = shown_in(places, "?action=east_west.replace")
    assert before["pairs"] == "—"


def test_a_rounds_weights_show_by_the_round_forms_labels(app, coordinator_client):
    with app.app_context():
        audit.record(None, "round.create", object_type="rounds", object_id=58,
                     after={"weights": {"distance": 40, "poverty": 25}})
        db.session.commit()
    _, after = shown_in(coordinator_client, "?object_id=58")
    assert after["weights"] == "距离近（分）: 40, 贫困深度（分）: 25"
    _, after = shown_in(coordinator_client, "?object_id=58", EN)
    assert after["weights"] == "Closeness (points): 40, Depth of poverty (points): 25"
