"""Pages of pairing rounds and proposals, and the inbox (pairings and their delivery:
delivery_views.py, on the same blueprint)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from .. import nav
from ..accounts.models import Role
from ..auth import role_required
from ..enterprises.rules import Invalid, NotAllowed
from ..extensions import db
from ..i18n import current_language
from ..places.models import Province
from ..places.services import place_names
from . import explain, jobs, notify, progress, services
from .blueprint import _errors, _get, beside, bp
from .forms import AnswerForm, EmptyForm, RoundForm
from .models import Pairing, Proposal, Round
from .reasons import reasons

nav.add("matching.rounds", _l("Pairing rounds"), (Role.COORDINATOR,), order=30)
nav.add("matching.proposals", _l("Proposals"), (Role.ENTERPRISE, Role.SECRETARY), order=30)
nav.add("matching.pairings", _l("Pairings"), (Role.ENTERPRISE, Role.SECRETARY, Role.VERIFIER,
                                              Role.COORDINATOR), order=31)
nav.add("matching.disputes", _l("Disputes"), (Role.VERIFIER,), order=32)
# Donors too: refunded and moved gifts, funded requests and orders are told there.
nav.add("matching.inbox", _l("Inbox"), (Role.ENTERPRISE, Role.SECRETARY, Role.VERIFIER,
                                        Role.COORDINATOR, Role.DONOR), order=80)


# Rounds -------------------------------------------------------------------------------

def _scopes() -> list[tuple[str, str]]:
    lang = current_language()
    provinces = db.session.scalars(db.select(Province).order_by(Province.code))
    choices = [("", _("Nationwide"))] if current_user.jurisdiction == "CN" else []
    return choices + [(p.code, p.display_name(lang)) for p in provinces
                      if current_user.jurisdiction in ("CN", p.code)]


@bp.route("/rounds", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def rounds():
    form = RoundForm()
    form.province_code.choices = _scopes()
    if form.validate_on_submit():
        data = {k: getattr(form, k).data for k in services.WEIGHT_FIELDS}
        try:
            rnd = services.create_round(current_user, form.province_code.data or None, data)
        except Invalid as exc:
            _errors(exc)
        except NotAllowed:
            abort(403)
        else:
            db.session.commit()
            return redirect(url_for("matching.round_page", round_id=rnd.id))
    services.fail_stale(db.session)
    db.session.commit()
    items = db.session.scalars(services.rounds_for(current_user).limit(50)).all()
    places = place_names({r.province_code for r in items if r.province_code}, current_language())
    return render_template("matching/rounds.html", form=form, items=items, places=places)


def _round_for(round_id: int) -> Round:
    rnd = _get(Round, round_id)
    if not (current_user.jurisdiction == "CN"
            or rnd.province_code == current_user.jurisdiction[:2]):
        abort(404)
    return rnd


@bp.get("/rounds/<int:round_id>")
@role_required(Role.COORDINATOR)
def round_page(round_id: int):
    rnd = _round_for(round_id)
    if services.fail_stale(db.session):
        db.session.commit()
    return render_template("matching/round.html", rnd=rnd, form=EmptyForm(),
                           province=db.session.get(Province, rnd.province_code or "00"),
                           stages=progress.stages(rnd), duration=progress.duration,
                           explained=explain.round_score(rnd, db.session),
                           relative=explain.relative)


@bp.get("/rounds/<int:round_id>/status")
@role_required(Role.COORDINATOR)
def round_status(round_id: int):
    """Small JSON the round page polls (static/js/matching.js)."""
    rnd = _round_for(round_id)
    if services.fail_stale(db.session):
        db.session.commit()
    return {"id": rnd.id, "status": rnd.status, "stage": rnd.stage,
            "stage_label": str(STATUS.get(rnd.stage, rnd.stage)),
            "stages": [{"label": str(STATUS.get(s.stage, s.stage)),
                        "time": progress.duration(s.seconds), "current": s.current}
                       for s in progress.stages(rnd)],
            "elapsed": progress.duration(progress.elapsed(rnd)),
            "proposed": (rnd.figures or {}).get("proposed"), "error": rnd.error}


@bp.post("/rounds/<int:round_id>/start")
@role_required(Role.COORDINATOR)
def start_round(round_id: int):
    rnd = _round_for(round_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        rnd = services.start_round(current_user, rnd)
    except Invalid as exc:
        db.session.rollback()
        _errors(exc)
        return redirect(url_for("matching.round_page", round_id=round_id))
    except NotAllowed:
        abort(403)
    size, attempt = services.round_size(rnd), rnd.attempt
    db.session.commit()
    how = jobs.launch(round_id, size, attempt)
    if how != "inline":
        flash(_("The round is running in the background; this page follows its progress."),
              "success")
    return redirect(url_for("matching.round_page", round_id=round_id))


# Proposals ----------------------------------------------------------------------------

@bp.get("/proposals")
@role_required(Role.ENTERPRISE, Role.SECRETARY)
def proposals():
    return _proposals_page()


def _proposals_page(refused: dict[int, AnswerForm] | None = None) -> str:
    """The proposals; `refused` holds an answer form sent and refused, shown again in
    its proposal's card with what was chosen and typed and each error beside its field."""
    pending = db.session.scalars(services.proposals_for(current_user)).unique().all()
    answered = db.session.scalars(services.proposals_for(current_user, None)
                                  .where(Proposal.status != "pending").limit(30)).unique().all()
    pairing_of = dict(db.session.execute(db.select(Pairing.proposal_id, Pairing.id).where(
        Pairing.proposal_id.in_([p.id for p in answered if p.status == "accepted"]))).all())
    return render_template("matching/proposals.html", pending=pending, answered=answered,
                           reasons=reasons, form=AnswerForm(formdata=None),
                           refused=refused or {}, pairing_of=pairing_of,
                           side=lambda p: services.side_of(current_user, p))


@bp.post("/proposals/<int:proposal_id>/answer")
@role_required(Role.ENTERPRISE, Role.SECRETARY)
def answer(proposal_id: int):
    proposal = _get(Proposal, proposal_id)
    if services.side_of(current_user, proposal) is None:
        abort(403)
    form = AnswerForm()
    if not form.validate_on_submit():
        if not form.answer.errors and not form.reason.errors and not form.note.errors:
            flash(_("Choose to accept or decline."), "error")  # e.g. the CSRF token
        elif form.answer.errors:
            form.answer.errors = [_("Choose to accept or decline.")]
        return _proposals_page({proposal_id: form}), 400
    try:
        pairing = services.answer(current_user, proposal, form.answer.data == "accept",
                                  form.reason.data or "", form.note.data or "")
    except NotAllowed:
        abort(403)
    except Invalid as exc:
        db.session.rollback()
        beside(form, exc)
        return _proposals_page({proposal_id: form}), 400
    pairing_id = pairing.id if pairing else None
    db.session.commit()
    if pairing_id:
        flash(_("Both sides accepted: the pairing begins."), "success")
        return redirect(url_for("matching.pairing", pairing_id=pairing_id))
    flash(_("Your answer was recorded."), "success")
    return redirect(url_for("matching.proposals"))


# Inbox --------------------------------------------------------------------------------

@bp.get("/inbox")
@login_required
def inbox():
    items = db.session.scalars(notify.inbox(current_user).limit(100)).all()
    return render_template("matching/inbox.html", items=items, text=notify.text,
                           form=EmptyForm())


@bp.post("/inbox/read")
@login_required
def inbox_read():
    if not EmptyForm().validate_on_submit():
        abort(400)
    notify.mark_read(db.session, current_user)
    db.session.commit()
    return redirect(url_for("matching.inbox"))


STATUS = {
    "draft": _l("not started"), "running": _l("running"), "done": _l("finished"),
    "failed": _l("failed"), "pending": _l("waiting for answers"), "accepted": _l("accepted"),
    "declined": _l("declined"), "expired": _l("expired"), "active": _l("in progress"),
    "fulfilled": _l("fulfilled"), "lapsed": _l("lapsed"), "reported": _l("awaiting confirmation"),
    "confirmed": _l("confirmed"), "disputed": _l("disputed"), "upheld": _l("upheld by verifier"),
    "rejected": _l("rejected by verifier"), "withdrawn": _l("withdrawn (gift refunded)"),
    "accept": _l("accepted"), "decline": _l("declined"),
    "queued": _l("queued"), "preparing": _l("reading offers and needs"),
    "solving": _l("optimising"), "baseline": _l("computing the greedy baseline"),
    "writing": _l("writing proposals"),
}
SOLVER_STAGES = {
    "validate": _l("checking the input"), "candidates": _l("finding candidates"),
    "flow": _l("min-cost flow"), "repair": _l("village limits"),
    "greedy": _l("greedy assignment"), "output": _l("output"),
}
BADGE = {"done": "ok", "accepted": "ok", "fulfilled": "ok", "confirmed": "ok", "upheld": "ok",
         "failed": "bad", "declined": "bad", "lapsed": "bad", "rejected": "bad",
         "disputed": "warn", "running": "warn", "pending": "warn", "reported": "warn",
         "expired": "bad", "withdrawn": "bad"}


@bp.app_context_processor
def _labels() -> dict:
    from ..enterprises.kinds import KIND_LABELS, MECHANISM_LABELS, format_amount, format_quantity

    # m_quantity: a commitment ("yuan per year" for yearly kinds); m_amount: what was
    # delivered, reported or is left to report (plain yuan).
    return {"m_status": STATUS, "m_badge": BADGE, "m_kind": KIND_LABELS,
            "m_mechanism": MECHANISM_LABELS, "m_stage": SOLVER_STAGES,
            "m_weight": {k: getattr(RoundForm, k).args[0] for k in services.WEIGHT_FIELDS},
            "m_quantity": format_quantity, "m_amount": format_amount}


# Pairings and their delivery (with their contacts and messages, thread_views.py, which
# delivery_views imports) register on bp when imported.
from . import delivery_views  # noqa: E402, F401
