"""The audit log's action codes and object types, named for staff, and the search
form's choices built from them (pairing.audit.labels shows events by these).

Each area adds its own actions here when it writes a new one; tests/audit/test_labels.py
fails on an audit.record call whose code has no label.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

# Action codes are "<group>.<verb>"; the group (everything before the last dot) names
# what the action is about and is the select's optgroup. Order: as a case runs.
GROUPS: dict[str, tuple[LazyString, dict[str, LazyString]]] = {
    "user": (_l("Accounts"), {
        "create": _l("Account created"), "password": _l("Password changed"),
        "activate": _l("Account enabled"), "deactivate": _l("Account disabled"),
        "jurisdiction": _l("Jurisdiction changed"),
        "api_tokens_ended": _l("Every API token of the account revoked"),
        "delete": _l("Account deleted at its owner's request")}),
    "account": (_l("Account details"), {"work_phone": _l("Work phone changed")}),
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
    "verification": (_l("Verifiers' decisions"), {
        "override": _l("Warnings overridden to approve"), "undo": _l("Decision undone")}),
    "east_west": (_l("East–west pairs"), {"replace": _l("East–west pairs replaced")}),
    "offer": (_l("Offers"), {
        "create": _l("Offer posted"), "update": _l("Offer changed"),
        "withdraw": _l("Offer withdrawn"), "paired": _l("Offer's paired quantity changed"),
        "checked": _l("Offer checked by a verifier"),
        "check_withdrawn": _l("Offer withdrawn by a verifier")}),
    "need": (_l("Needs"), {
        "create": _l("Need posted"), "import": _l("Need imported"),
        "update": _l("Need changed"), "withdraw": _l("Need withdrawn"),
        "met": _l("Need's met quantity changed"),
        "checked": _l("Need checked by a verifier"),
        "check_withdrawn": _l("Need withdrawn by a verifier")}),
    "round": (_l("Matching rounds"), {
        "create": _l("Round created"), "start": _l("Round started"),
        "finish": _l("Round finished"), "fail": _l("Round failed"),
        "stale": _l("Round stopped (worker lost)")}),
    "proposal": (_l("Proposals"), {
        "accept": _l("Proposal accepted"), "decline": _l("Proposal declined"),
        "expire": _l("Proposal expired")}),
    "pairing": (_l("Pairings"), {
        "create": _l("Pairing made"), "lapse": _l("Pairing lapsed"),
        "contact": _l("Pairing's contact person set")}),
    "report": (_l("Progress reports"), {
        "create": _l("Progress report filed"), "withdraw": _l("Progress report withdrawn"),
        "confirm": _l("Progress report confirmed"), "dispute": _l("Progress report disputed"),
        "decide": _l("Progress report dispute decided"),
        "appeal_granted": _l("Progress report dispute reversed on appeal")}),
    "appeal": (_l("Appeals"), {
        "filed": _l("Appeal filed"), "granted": _l("Appeal granted: decision reversed"),
        "refused": _l("Appeal refused: decision stands")}),
    "household": (_l("Household records"), {
        "registered": _l("Household registered"), "updated": _l("Household record changed"),
        "consent": _l("Household consent changed"),
        "viewed": _l("Household's personal data viewed"),
        "export": _l("Household's data downloaded for the household"),
        "erase": _l("Household's data erased at the household's request")}),
    "giving.photo": (_l("Request photos"), {
        "add": _l("Request photo added"), "hide": _l("Request photo hidden")}),
    "help_request": (_l("Help requests"), {
        "created": _l("Help request drafted"), "updated": _l("Help request changed"),
        "submitted": _l("Help request submitted"),
        "verified": _l("Help request verified"), "rejected": _l("Help request rejected"),
        "opened": _l("Fundraising opened"), "funded": _l("Fundraising target reached"),
        "reopened": _l("Fundraising reopened"), "expired": _l("Fundraising deadline passed"),
        "disbursed": _l("Help request fully paid out"), "closed": _l("Help request closed")}),
    "donation": (_l("Donations"), {
        "created": _l("Donation made"), "refunded": _l("Donation refunded"),
        "moved": _l("Donation moved to another request"),
        "guest_email.forget": _l("Guest donor's e-mail address forgotten")}),
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
    "appeals": _l("Appeal"),
    "users": _l("Account"), "api_tokens": _l("API token"), "enterprises": _l("Enterprise"),
    "villages": _l("Village"), "east_west_pairs": _l("East–west pairs"),
    "offers": _l("Offer"), "needs": _l("Need"), "rounds": _l("Matching round"),
    "proposals": _l("Proposal"), "pairings": _l("Pairing"),
    "pairing_contacts": _l("Pairing's contact person"),
    "verification_decisions": _l("Verifier's decision"),
    "progress_reports": _l("Progress report"), "households": _l("Household"),
    "help_requests": _l("Help request"), "donations": _l("Donation"),
    "giving_matches": _l("Matched giving"), "disbursements": _l("Disbursement"),
    "giving_complaints": _l("Reported problem"), "payments": _l("Payment"),
    "shop_products": _l("Product"), "shop_product_photos": _l("Product photo"),
    "shop_orders": _l("Order"), "shop_payouts": _l("Sales payout"),
    "shop_settings": _l("Shop settings"), "shop_shipping": _l("Village's shipping terms"),
    "giving_photos": _l("Request photo"),
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

