"""The labels of the audit log's fields: the keys of an event's before/after and the
names in its `changed` (pairing.audit.labels shows events by these)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_babel.speaklater import LazyString

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
    "checked_at": _l("Checked at"), "check_note": _l("Why a verifier withdrew it"),
    "checked_by_id": _l("Checked by"), "phone": _l("Work phone"),
    "section": _l("Queue section"), "object_id": _l("Record number"),
    "warnings": _l("Warnings"),
    "created_by_id": _l("Created by"), "registered_by_id": _l("Registered by"),
    "requested_by_id": _l("Requested by"), "verified_by_id": _l("Verified by"),
    "decided_by_id": _l("Decided by"), "officer_id": _l("Enterprise officer"),
    "secretary_id": _l("Village first secretary"),
    "status": _l("Status"), "state": _l("State"), "reject_reason": _l("Reason for rejection"),
    "reason": _l("Reason"), "decision": _l("Decision"), "note": _l("Note"),
    "deleted_at": _l("Deleted at"), "expires_at": _l("Expires"),
    "scopes": _l("What it may do"), "work_phone": _l("Work phone"), "outcome": _l("Outcome"),
    "cadre_phone": _l("Cadre's work phone"), "shipping_fen": _l("Shipping (yuan)"),
    "gifts": _l("Number of gifts"), "donation_ids": _l("Gift numbers"),
    # appeals
    "subject": _l("What was appealed"), "subject_id": _l("Its number"),
    "level": _l("Decided at the level of"),
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

