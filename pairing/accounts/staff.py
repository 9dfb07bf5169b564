"""The coordinator's user management (/admin/users): staff accounts created, found,
switched on and off, and their jurisdiction changed, within the coordinator's own."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select

from .. import pages
from ..auth import role_required
from ..extensions import db
from . import jurisdiction, services
from .forms import ROLE_LABELS, EmptyForm, JurisdictionForm, StaffForm
from .models import Role, User

admin = Blueprint("admin", __name__, url_prefix="/admin")


@admin.route("/users", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def users():
    form = StaffForm()
    if form.validate_on_submit():
        try:
            user = services.create_user(
                email=form.email.data, password=form.password.data,
                display_name=form.display_name.data, role=form.role.data,
                jurisdiction=form.jurisdiction.data, actor=current_user)
        except services.AccountError as exc:
            form.email.errors.append(str(exc))
        else:
            db.session.commit()
            flash(_("Account %(email)s created.", email=user.email), "success")
            return redirect(url_for("admin.users"))
    q = request.args.get("q", "").strip()[:200]  # SQLite refuses LIKE patterns over 50 kB
    role = request.args.get("role", "")
    query = jurisdiction.visible(current_user, select(User).order_by(User.id.desc()))
    if q:
        like = f"%{q.lower()}%"
        query = query.where(or_(User.email.like(like), User.display_name.like(f"%{q}%")))
    if role in {r.value for r in Role}:
        query = query.where(User.role == role)
    page = pages.request_page(query, scope="users", per_page=current_app.config["PAGE_SIZE"])
    return render_template("accounts/users.html", form=form, page=page, q=q, role=role,
                           roles=ROLE_LABELS, button=EmptyForm(), jform=JurisdictionForm())


def _staff_target(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None or not jurisdiction.may_manage(current_user, user):
        abort(404)
    return user


@admin.post("/users/<int:user_id>/active")
@role_required(Role.COORDINATOR)
def toggle_active(user_id: int):
    user = _staff_target(user_id)
    if EmptyForm().validate_on_submit():
        try:
            services.set_active(current_user, user, not user.active)
        except services.AccountError as exc:
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash(_("Account updated."), "success")
    return redirect(url_for("admin.users"))


@admin.post("/users/<int:user_id>/jurisdiction")
@role_required(Role.COORDINATOR)
def change_jurisdiction(user_id: int):
    user = _staff_target(user_id)
    form = JurisdictionForm()
    if form.validate_on_submit():
        try:
            services.set_jurisdiction(current_user, user, form.jurisdiction.data)
        except services.AccountError as exc:
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash(_("Jurisdiction changed."), "success")
    else:  # the place's own message ("No province is called …") when there is one
        for message in form.jurisdiction.errors or [_("Enter a jurisdiction.")]:
            flash(str(message), "error")
    return redirect(url_for("admin.users"))
