"""The national coordinators' search over the audit log (its rows name no place, so a
province's coordinator would read the whole country's)."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import Blueprint, current_app, render_template, request
from flask_babel import gettext as _

from .. import inputs, pages
from ..auth import national_required
from . import labels, quantities, services

bp = Blueprint("audit", __name__, url_prefix="/admin/audit")


def _date(value: str) -> datetime | None:
    try:
        return datetime.strptime(value, "%Y-%m-%d")
    except ValueError:
        return None


@bp.get("")
@national_required
def search():
    args = request.args
    errors = []
    actor = args.get("actor", "").strip()
    since, until = _date(args.get("since", "")), _date(args.get("until", ""))
    if args.get("since") and since is None or args.get("until") and until is None:
        errors.append(_("Dates are written as YYYY-MM-DD."))
    actor_id = inputs.number(actor)
    if actor and actor_id is None:
        errors.append(_("The actor is a user number."))
    query = services.search(
        actor_id=actor_id,
        object_type=args.get("object_type", "").strip() or None,
        object_id=args.get("object_id", "").strip() or None,
        action=args.get("action", "").strip() or None,
        since=since,
        until=until + timedelta(days=1) if until else None,
    )
    page = pages.request_page(query, scope="audit", per_page=current_app.config["PAGE_SIZE"] * 2)
    places = labels.place_labels(v for e in page.items for v in (e.before, e.after))
    roles = labels.value_labels().get("users", {}).get("role", {})  # as accounts registered
    return render_template("audit/search.html", page=page, args=args, errors=errors,
                           labels=labels, roles=roles, places=places,
                           kinds=quantities.kinds_of(page.items))
