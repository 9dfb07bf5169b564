"""What staff read for the audit log's codes: a label for every action, object type and
field, and the fields' values written for people.

The log keeps the codes as written (staff search by them); these only name them. A code
without a label shows as itself, so events written by older code still display.
A field holding codes (a status, a purpose, causes, ...) shows each code by the label the
code's own area gives it (value_labels imports those maps), the code small beside it; a
field of place codes (PLACE_FIELDS) by the places' names, looked up once per page.
tests/audit/test_labels.py reads every audit.record call and fails on an unlabelled code
or field.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_babel.speaklater import LazyString
from markupsafe import Markup, escape

from ..ledger.money import yuan

# Action codes are "<group>.<verb>"; the group (everything before the last dot) names
# what the action is about and is the select's optgroup. Order: as a case runs.
GROUPS: dict[str, tuple[LazyString, dict[str, LazyString]]] = {
    "user": (_l("Accounts"), {
        "create": _l("Account created"), "password": _l("Password changed"),
        "activate": _l("Account enabled"), "deactivate": _l("Account disabled"),
        "jurisdiction": _l("Jurisdiction changed"),
        "api_tokens_ended": _l("Every API token of the account revoked")}),
    "api_token": (_l("API tokens"), {
        "create": _l("API token created"), "revoke": _l("API token revoked")}),
    "enterprise": (_l("Enterprises"), {
        "register": _l("Enterprise registered"), "update": _l("Enterprise details changed"),
        "resubmit": _l("Enterprise resubmitted after rejection"),
        "verify": _l("Enterprise verified"), "reject": _l("Enterprise rejected")}),
    "village": (_l("Villages"), {
        "register": _l("Village registered"), "update": _l("Village details changed"),
        "resubmit": _l("Village resubmitted after rejection"),
        "verify": _l("Village verified"), "reject": _l("Village rejected"),
        "hand_over": _l("Village handed to a new secretary")}),
    "east_west": (_l("East–west pairs"), {"replace": _l("East–west pairs replaced")}),
    "offer": (_l("Offers"), {
        "create": _l("Offer posted"), "update": _l("Offer changed"),
        "withdraw": _l("Offer withdrawn"), "paired": _l("Offer's paired quantity changed")}),
    "need": (_l("Needs"), {
        "create": _l("Need posted"), "import": _l("Need imported"),
        "update": _l("Need changed"), "withdraw": _l("Need withdrawn"),
        "met": _l("Need's met quantity changed")}),
    "round": (_l("Matching rounds"), {
        "create": _l("Round created"), "start": _l("Round started"),
        "finish": _l("Round finished"), "fail": _l("Round failed"),
        "stale": _l("Round stopped (worker lost)")}),
    "proposal": (_l("Proposals"), {
        "accept": _l("Proposal accepted"), "decline": _l("Proposal declined"),
        "expire": _l("Proposal expired")}),
    "pairing": (_l("Pairings"), {
        "create": _l("Pairing made"), "lapse": _l("Pairing lapsed")}),
    "report": (_l("Progress reports"), {
        "create": _l("Progress report filed"), "withdraw": _l("Progress report withdrawn"),
        "confirm": _l("Progress report confirmed"), "dispute": _l("Progress report disputed"),
        "decide": _l("Progress report dispute decided")}),
    "household": (_l("Household records"), {
        "registered": _l("Household registered"), "updated": _l("Household record changed"),
        "consent": _l("Household consent changed"),
        "viewed": _l("Household's personal data viewed")}),
    "help_request": (_l("Help requests"), {
        "created": _l("Help request drafted"), "updated": _l("Help request changed"),
        "submitted": _l("Help request submitted"),
        "verified": _l("Help request verified"), "rejected": _l("Help request rejected"),
        "opened": _l("Fundraising opened"), "funded": _l("Fundraising target reached"),
        "reopened": _l("Fundraising reopened"), "expired": _l("Fundraising deadline passed"),
        "disbursed": _l("Help request fully paid out"), "closed": _l("Help request closed")}),
    "donation": (_l("Donations"), {
        "created": _l("Donation made"), "refunded": _l("Donation refunded"),
        "moved": _l("Donation moved to another request")}),
    "giving_match": (_l("Matched giving"), {
        "created": _l("Matched giving started"), "ended": _l("Matched giving ended")}),
    "disbursement": (_l("Disbursements"), {
        "requested": _l("Disbursement requested"), "approved": _l("Disbursement approved"),
        "rejected": _l("Disbursement rejected")}),
    "complaint": (_l("Reported problems"), {
        "filed": _l("Problem reported"), "upheld": _l("Report upheld"),
        "dismissed": _l("Report dismissed")}),
    "payment": (_l("Payments"), {
        "started": _l("Payment started"), "confirmed": _l("Payment received"),
        "cancelled": _l("Payment cancelled")}),
    "shop.product": (_l("Products"), {
        "create": _l("Product added"), "update": _l("Product changed"),
        "pause": _l("Product taken off sale"), "resume": _l("Product back on sale"),
        "restock": _l("Product restocked")}),
    "shop.photo": (_l("Product photos"), {
        "add": _l("Product photo added"), "remove": _l("Product photo removed")}),
    "shop.order": (_l("Shop orders"), {
        "place": _l("Order placed"), "pay": _l("Order paid"), "ship": _l("Order shipped"),
        "deliver": _l("Order received"), "cancel": _l("Order cancelled"),
        "refund": _l("Order refunded")}),
    "shop.payout": (_l("Sales payouts"), {
        "request": _l("Sales payout requested"), "approve": _l("Sales payout approved"),
        "reject": _l("Sales payout rejected")}),
    "shop.settings": (_l("Shop settings"), {"change": _l("Shop settings changed")}),
    "monitoring": (_l("Monitoring of households"), {
        "viewed": _l("Household's monitoring record viewed"), "cadre": _l("Cadre named"),
        "visit": _l("Visit recorded"), "watch_in": _l("Entered the watch list"),
        "watch_out": _l("Left the watch list"), "exit": _l("Exit from poverty confirmed"),
        "line": _l("Poverty line set"), "inspection": _l("Inspection recorded"),
        "pairing_rated": _l("Pairing rated"), "cadre_rated": _l("Cadre rated"),
        "cadre_complaint": _l("Complaint about a cadre"),
        "complaint_decided": _l("Complaint about a cadre decided")}),
}

ACTIONS: dict[str, LazyString] = {
    f"{group}.{verb}": label for group, (_name, verbs) in GROUPS.items()
    for verb, label in verbs.items()}

# object_type is the table of the changed row (or a name given by the caller).
OBJECT_TYPES: dict[str, LazyString] = {
    "users": _l("Account"), "api_tokens": _l("API token"), "enterprises": _l("Enterprise"),
    "villages": _l("Village"), "east_west_pairs": _l("East–west pairs"),
    "offers": _l("Offer"), "needs": _l("Need"), "rounds": _l("Matching round"),
    "proposals": _l("Proposal"), "pairings": _l("Pairing"),
    "progress_reports": _l("Progress report"), "households": _l("Household"),
    "help_requests": _l("Help request"), "donations": _l("Donation"),
    "giving_matches": _l("Matched giving"), "disbursements": _l("Disbursement"),
    "giving_complaints": _l("Reported problem"), "payments": _l("Payment"),
    "shop_products": _l("Product"), "shop_product_photos": _l("Product photo"),
    "shop_orders": _l("Order"), "shop_payouts": _l("Sales payout"),
    "shop_settings": _l("Shop settings"),
    "monitoring_poverty_lines": _l("Poverty line"),
    "monitoring_households": _l("Household's monitoring record"),
    "monitoring_visits": _l("Visit"), "monitoring_events": _l("Watch list or exit"),
    "monitoring_pairing_ratings": _l("Rating of a pairing"),
    "monitoring_cadre_ratings": _l("Rating of a cadre"),
    "monitoring_cadre_complaints": _l("Complaint about a cadre"),
    "monitoring_inspections": _l("Inspection"),
}

ANY = ".*"  # an action value ending so means every action of its group (prefix search)


def action_label(code: str) -> str:
    return str(ACTIONS[code]) if code in ACTIONS else code


def object_label(code: str) -> str:
    return str(OBJECT_TYPES[code]) if code in OBJECT_TYPES else code


def known_action(value: str) -> bool:
    """A value the search form offers: a labelled action or a group's ANY."""
    return value in ACTIONS or value.endswith(ANY) and value[:-len(ANY)] in GROUPS


def action_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The search form's optgroups: (group label, [(value, label)]), "all of the group"
    first."""
    return [(str(name), [(group + ANY, _("%(group)s: every action", group=name))]
             + [(f"{group}.{verb}", str(label)) for verb, label in verbs.items()])
            for group, (name, verbs) in GROUPS.items()]


# Fields: the keys of an event's before/after and the names in its `changed` (mostly
# column names). Where a form asks for the column the label is the form's, so both read
# the same (and share a translation). Money in fen is shown in yuan, hence "(yuan)".
FIELDS: dict[str, LazyString] = {
    # who and when
    "id": _l("Record number"), "user_id": _l("Account"), "role": _l("Role"),
    "active": _l("Active"), "jurisdiction": _l("Jurisdiction"),
    "display_name": _l("Name"), "email": _l("E-mail"), "password_hash": _l("Password"),
    "prefix": _l("Token prefix"), "token_hash": _l("Token (its hash)"),
    "api_tokens": _l("API tokens"),
    "last_used_at": _l("Last used"),
    "revoked_at": _l("Revoked at"), "created_at": _l("Created at"),
    "updated_at": _l("Updated at"), "submitted_at": _l("Submitted at"),
    "verified_at": _l("Verified at"), "decided_at": _l("Decided at"),
    "created_by_id": _l("Created by"), "registered_by_id": _l("Registered by"),
    "requested_by_id": _l("Requested by"), "verified_by_id": _l("Verified by"),
    "decided_by_id": _l("Decided by"), "officer_id": _l("Enterprise officer"),
    "secretary_id": _l("Village first secretary"),
    "status": _l("Status"), "state": _l("State"), "reject_reason": _l("Reason for rejection"),
    "reason": _l("Reason"), "decision": _l("Decision"), "note": _l("Note"),
    # enterprises, villages, offers and needs
    "name": lazy_pgettext("thing", "Name"), "description": _l("Description"),
    "credit_code": _l("Unified social credit code"), "county_code": _l("County"),
    "sector": _l("Sector"), "employees": _l("Employees"),
    "contact_name": _l("Contact person"), "contact_phone": _l("Contact phone"),
    "population": _l("Population"), "households": _l("Households"),
    "poor_households": _l("Registered poor households"),
    "poor_population": _l("Registered poor people"),
    "income_per_capita": _l("Net income per head (yuan a year)"),
    "deep_poverty": _l("Deep-poverty area"), "kind": _l("Kind of help"),
    "mechanism": _l("Mechanism"), "quantity": _l("Quantity"),
    "max_villages": _l("At most this many villages"), "provinces": _l("Preferred provinces"),
    "starts_on": _l("Start date"), "ends_on": _l("End date"), "priority": _l("Priority"),
    "public": _l("Public"), "met_quantity": _l("Quantity met"),
    "paired_quantity": _l("Quantity paired"), "pairs": _l("Pairs"),
    # rounds, proposals, pairings and progress reports
    "stage": _l("Stage"), "province_code": _l("Scope"), "weights": _l("Weights"),
    "error": _l("Error"), "proposed": _l("Pairs proposed"),
    "enterprise_answer": _l("Enterprise's answer"), "village_answer": _l("Village's answer"),
    "offer_id": _l("Offer"), "need_id": _l("Need"), "enterprise_id": _l("Enterprise"),
    "village_id": _l("Village"), "pairing_id": _l("Pairing"),
    "delivered_quantity": _l("Delivered so far"), "dispute_reason": _l("Dispute reason"),
    "decision_note": _l("Decision note"), "files": _l("Evidence"),
    # households, help requests, donations, disbursements, matched giving
    "household_id": _l("Household"), "registration_no": _l("Registration number"),
    "head_name": _l("Head of household"), "address": _l("Address"),
    "id_number_enc": _l("Resident ID number (encrypted)"),
    "id_number_hash": _l("Resident ID number (for finding duplicates)"),
    "id_number_masked": _l("Resident ID number (masked)"),
    "diagnosis": _l("Illness details (for the verifier)"),
    "members": _l("Members"), "causes": _l("Causes of poverty"),
    "cadre_name": _l("Responsible cadre (结对帮扶)"),
    "family_tie": _l("Registrant related to the household"),
    "consent_publish": _l("The household consents to publishing its requests"),
    "consent_sensitive": _l(
        "The household consents to the use of its sensitive data (illness) for verification"),
    "consent_at": _l("Consent given at"), "request_id": _l("Request"),
    "purpose": _l("Purpose"), "title": _l("Title"), "story": _l("Story (public)"),
    "show_diagnosis": _l("The household agrees to show the illness details publicly"),
    "amount_needed_fen": _l("Amount needed (yuan)"), "raised_fen": _l("Money raised (yuan)"),
    "pledged_fen": _l("Pledged (yuan)"), "disbursed_fen": _l("Paid out (yuan)"),
    "donors_count": _l("Donors"), "deadline": _l("Deadline"),
    "notice_until": _l("Public notice until"), "amount_fen": _l("Amount (yuan)"),
    "anonymous": _l("Give anonymously"), "invoice_id": _l("Invoice"),
    "match_id": _l("Matched giving"), "pool_fen": _l("Match pool (yuan)"),
    "used_fen": _l("Used (yuan)"), "returned_fen": _l("Returned (yuan)"),
    "starts_at": _l("Start date"), "ends_at": _l("End date"),
    # payments and the shop
    "provider": _l("Payment"), "reference": _l("Payment reference"),
    "payment_provider": _l("Payment"), "payment_reference": _l("Payment reference"),
    "product_id": _l("Product"), "category": _l("Category"), "unit": _l("Unit"),
    "origin": _l("Origin"), "price_fen": _l("Price (yuan)"), "stock": _l("Stock"),
    "added": _l("Units added"), "order_id": _l("Order"), "total_fen": _l("Total (yuan)"),
    "lines": _l("Items (product, quantity, unit price in fen)"), "carrier": _l("Carrier"),
    "tracking_number": _l("Tracking number"), "cooperative": _l("Cooperative"),
    "taobao_sales_fen": _l("Yearly shop sales for the badge (yuan)"),
    "taobao_active_products": _l("Active products for the badge"),
    # monitoring of households (the forms' labels where a form asks)
    "year": _l("Year"), "line_yuan": _l("Poverty line (yuan per person and year)"),
    "margin_pct": _l("Watch margin above the line (%)"), "updated_by_id": _l("Changed by"),
    "cadre_id": _l("Responsible cadre (结对帮扶)"), "card_code": _l("Code on the contact card:"),
    "standing": _l("Standing"), "exited_on": _l("Left poverty"), "watched": _l("Watch list"),
    "watch_reason": _l("Watch list"), "watched_since": _l("Watch list"),
    "visited_on": _l("Date of the visit"),
    "workers_away": _l("Members working away from home"),
    "workers_local": _l("Members working locally"),
    "food_clothing": _l("Enough to eat and to wear (两不愁)"),
    "schooling": _l("Children of school age attend school (义务教育有保障)"),
    "medical": _l("Every member has basic medical insurance (基本医疗有保障)"),
    "housing": _l("The house is safe (住房安全有保障)"),
    "water": _l("Safe drinking water (饮水安全有保障)"),
    "shock": _l("New since the last visit"), "recorded_by_id": _l("Recorded by"),
    "after_exit": _l("Returns to the watch list"), "visit_id": _l("Visit"),
    "actor_id": _l("Confirmed by"), "at": _l("Date"), "side": _l("Rated by"),
    "on_time": _l("On time"), "as_promised": _l("As promised"),
    "useful": _l("Useful to the village"), "cooperation": _l("The village's cooperation"),
    "comment": _l("Comment"), "rater_id": _l("Rated by"), "visits": _l("The cadre's visits"),
    "help": _l("The cadre's help"), "via": _l("Rated by"), "body": _l("What is wrong"),
    "held_on": _l("Day of the inspection"),
}

# Where one table's form names a column more exactly than FIELDS does.
TABLE_FIELDS: dict[str, dict[str, LazyString]] = {
    "enterprises": {"name": _l("Company name"), "description": _l("About the company")},
    "villages": {"name": _l("Village name"), "description": _l("About the village")},
    "households": {"income_per_capita": _l("Per-capita net income (yuan per year)")},
    "shop_product_photos": {"name": _l("Photo")},
    "progress_reports": {"quantity": _l("Quantity delivered")},
    "monitoring_events": {"kind": _l("Change"), "reason": _l("Watch list")},
    "monitoring_visits": {"income_per_capita": _l("Net income per person and year (yuan)"),
                          "causes": _l("Causes of hardship still present")},
}


@cache
def value_labels() -> dict[str, dict[str, Mapping[Any, Any]]]:
    """{table: {column: {code: label}}}: the labels the areas' own pages give a column's
    codes (statuses, kinds, purposes, ...). Imported when first asked for, as the areas'
    views import the audit service."""
    from ..accounts.forms import ROLE_LABELS
    from ..enterprises.forms import RECORD_STATUS_LABELS, SECTOR_LABELS
    from ..enterprises.kinds import KIND_LABELS, MECHANISM_LABELS
    from ..giving.forms import (
        CAUSE_LABELS,
        COMPLAINT_KIND_LABELS,
        COMPLAINT_STATUS_LABELS,
        DISBURSEMENT_STATUS_LABELS,
        DONATION_STATUS_LABELS,
        MATCH_STATUS_LABELS,
        PURPOSE_LABELS,
    )
    from ..giving.forms import STATUS_LABELS as REQUEST_STATUS_LABELS
    from ..matching.views import STATUS as MATCHING_STATUS
    from ..monitoring import forms as monitoring
    from ..needs.forms import PRIORITY_LABELS
    from ..payments.providers import PROVIDERS
    from ..payments.providers import STATUS_LABELS as PAYMENT_STATUS_LABELS
    from ..payments.services import PURPOSE_LABELS as PAYMENT_PURPOSE_LABELS
    from ..shop.forms import (
        CATEGORY_LABELS,
        PAYOUT_STATE_LABELS,
        PRODUCT_STATUS_LABELS,
        STATE_LABELS,
    )

    providers = {name: provider.label for name, provider in PROVIDERS.items()}
    scores = monitoring.SCORE_LABELS
    return {
        "users": {"role": ROLE_LABELS},
        "enterprises": {"status": RECORD_STATUS_LABELS, "sector": SECTOR_LABELS},
        "villages": {"status": RECORD_STATUS_LABELS},
        "offers": {"kind": KIND_LABELS, "mechanism": MECHANISM_LABELS,
                   "status": RECORD_STATUS_LABELS},
        "needs": {"kind": KIND_LABELS, "mechanism": MECHANISM_LABELS,
                  "status": RECORD_STATUS_LABELS, "priority": PRIORITY_LABELS,
                  "sector": SECTOR_LABELS},
        "rounds": {"status": MATCHING_STATUS, "stage": MATCHING_STATUS},
        "proposals": {"status": MATCHING_STATUS, "enterprise_answer": MATCHING_STATUS,
                      "village_answer": MATCHING_STATUS},
        "pairings": {"status": MATCHING_STATUS},
        "progress_reports": {"status": MATCHING_STATUS},
        "households": {"causes": CAUSE_LABELS},
        "help_requests": {"status": REQUEST_STATUS_LABELS, "purpose": PURPOSE_LABELS},
        "donations": {"status": DONATION_STATUS_LABELS},
        "disbursements": {"status": DISBURSEMENT_STATUS_LABELS},
        "giving_complaints": {"status": COMPLAINT_STATUS_LABELS, "kind": COMPLAINT_KIND_LABELS},
        "giving_matches": {"status": MATCH_STATUS_LABELS},
        "payments": {"status": PAYMENT_STATUS_LABELS, "provider": providers,
                     "purpose": PAYMENT_PURPOSE_LABELS},
        "shop_products": {"category": CATEGORY_LABELS, "status": PRODUCT_STATUS_LABELS},
        "shop_orders": {"state": STATE_LABELS, "payment_provider": providers},
        "shop_payouts": {"state": PAYOUT_STATE_LABELS},
        "monitoring_households": {"standing": monitoring.STANDING_LABELS},
        "monitoring_visits": {"shock": monitoring.SHOCK_CODES, "causes": CAUSE_LABELS},
        "monitoring_events": {"kind": monitoring.EVENT_LABELS},
        "monitoring_pairing_ratings": {"stage": monitoring.STAGE_LABELS,
                                       "side": monitoring.SIDE_LABELS, "on_time": scores,
                                       "as_promised": scores, "useful": scores,
                                       "cooperation": scores},
        "monitoring_cadre_ratings": {"visits": scores, "help": scores,
                                     "via": monitoring.VIA_LABELS},
        "monitoring_cadre_complaints": {"status": monitoring.COMPLAINT_LABELS},
    }


# Fields of place codes, in any table: a province's two digits, a county's six, "CN" for
# the whole country (a jurisdiction), a list of provinces ("43,52") or of east–west pairs
# ("31-52"). Places are rows, not constants, so their names come from place_labels.
PLACE_FIELDS = frozenset({"county_code", "province_code", "jurisdiction", "provinces",
                          "pairs"})


# Fields where "none" has a meaning of its own: a round without a province is nationwide
# (the round pages say so too).
NONE_MEANS: dict[tuple[str, str], LazyString] = {("rounds", "province_code"): _l("Nationwide")}


def _codes(value: Any) -> list[str]:
    items = value if isinstance(value, list | tuple) else [value]
    return [part for item in items if isinstance(item, str)
            for part in item.split(",") if part]


def place_labels(snapshots: Iterable[Mapping[str, Any] | None]) -> dict[str, str]:
    """{place code: name} for the place codes of these before/after snapshots, in the
    page's language (places.services.place_names; two queries at most)."""
    from ..accounts.models import COUNTRY
    from ..i18n import current_language
    from ..places.services import place_names

    codes = {code for values in snapshots for name, value in (values or {}).items()
             if name in PLACE_FIELDS for code in _codes(value)}
    names = place_names({part for code in codes for part in code.split("-")},
                        current_language())
    names[COUNTRY] = _("Nationwide")
    for code in codes:
        east, dash, west = code.partition("-")
        if dash and east in names and west in names:
            names[code] = f"{names[east]} → {names[west]}"  # as the east–west page writes it
    return names


def coded(code: Any, labels: Mapping[Any, Any]) -> Markup:
    """A code by its label, the code small beside it; an unknown code as itself."""
    if not isinstance(code, str | int):
        return escape(field_value("", code))
    label = labels.get(code)
    if label is None or str(label) == str(code):
        return escape(code)
    return Markup('{} <code class="code">{}</code>').format(str(label), code)


_MOMENT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d)?")


def field_label(name: str, object_type: str = "") -> str:
    label = TABLE_FIELDS.get(object_type, {}).get(name) or FIELDS.get(name)
    return str(label) if label is not None else name


def field_value(name: str, value: Any) -> str:
    """A value as staff read it: fen as yuan, yes/no, "—" for none, a moment without its
    microseconds; lists and mappings one item after another."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if name.endswith("_fen") and isinstance(value, int):
        return yuan(value)
    if isinstance(value, str) and _MOMENT.match(value):
        return value[:19].replace("T", " ")
    if isinstance(value, dict):  # a round's weights ({} when none was set), by the round form's labels
        from ..matching.forms import WEIGHT_LABELS

        return ", ".join(f"{WEIGHT_LABELS.get(k, k)}: {field_value(k, v)}" for k, v in value.items()) or "—"
    if isinstance(value, list | tuple):
        return ", ".join(field_value("", v) if not isinstance(v, list | tuple)
                         else "(" + ", ".join(map(str, v)) + ")" for v in value) or "—"
    return str(value)


def shown(name: str, value: Any, object_type: str = "",
          places: Mapping[str, str] | None = None) -> str | Markup:
    """field_value, but a column of codes (value_labels) by the codes' labels, one of
    place codes by `places` (place_labels); a list of codes (a list, or "a,b" as
    households' causes are stored) label by label."""
    if value is None and (object_type, name) in NONE_MEANS:
        return str(NONE_MEANS[object_type, name])
    labels = value_labels().get(object_type, {}).get(name)
    if labels is None and name in PLACE_FIELDS and places is not None:
        labels = places
    if labels is None or value is None or value == "" or isinstance(value, bool | dict):
        return field_value(name, value)
    if isinstance(value, str) and value not in labels and "," in value:
        value = [part for part in value.split(",") if part]
    if isinstance(value, list | tuple):
        return Markup(", ").join(coded(v, labels) for v in value) if value else "—"
    return coded(value, labels)


def fields(values: dict[str, Any] | None, object_type: str = "",
           places: Mapping[str, str] | None = None) -> list[tuple[str, str, str | Markup]]:
    """(column, label, shown value) of a before/after snapshot, in its order."""
    return [(k, field_label(k, object_type), shown(k, v, object_type, places))
            for k, v in (values or {}).items()]


def raw_json(values: dict[str, Any]) -> str:
    """The snapshot as stored, Chinese left readable (the page escapes it)."""
    return json.dumps(values, ensure_ascii=False, sort_keys=True)
