"""Log in and out, registration and passwords. The coordinator's user management is in
staff.py, on its own blueprint `admin` (imported here so that it is registered)."""

from __future__ import annotations

import time

from flask import (
    Blueprint,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..db import begin_write
from ..extensions import db, limiter
from ..i18n import current_language
from ..security import safe_next
from . import notices, registration, services, throttle
from .forms import (
    ROLE_LABELS,
    ChangePasswordForm,
    EmptyForm,
    ForgotForm,
    LoginForm,
    RegisterForm,
    ResetForm,
)
from .models import Role, User
from .staff import admin as admin

bp = Blueprint("accounts", __name__)

SESSION_KEY = "sid"


SEEN_KEY = "seen"  # when this browser last made a request (idle timeout)


def start_session(user: User) -> None:
    token = services.open_session(user, request.headers.get("User-Agent", ""))
    lang = session.get("lang")
    session.clear()  # a fresh session at log-in: nothing carried over from before
    if lang:
        session["lang"] = lang
    login_user(user)
    session[SESSION_KEY] = token
    session[SEEN_KEY] = int(time.time())
    # Their e-mails are written in the language they use the site in.
    if user.language != current_language():
        user.language = current_language()


def _too_many(form: LoginForm, next_url: str):
    flash(_("Too many failed log-ins. Wait a minute and try again."), "error")
    return render_template("accounts/login.html", form=form, next=next_url), 429


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    next_url = safe_next(request.values.get("next"), url_for("main.home"))
    if form.validate_on_submit():
        email = services.normalise_email(form.email.data)
        if throttle.blocked(email):
            return _too_many(form, next_url)
        user, known = services.authenticate(email, form.password.data)
        if user is not None:
            # The slow hash was checked in a read transaction; the login session is
            # written in a write transaction of its own (on SQLite BEGIN IMMEDIATE waits
            # for the lock, where turning the read into a write failed as "locked").
            begin_write()
            start_session(user)
            db.session.commit()
            flash(_("Welcome, %(name)s.", name=user.display_name), "success")
            return redirect(next_url)
        throttle.failed(email, known=known)
        flash(_("Wrong e-mail or password, or the account is inactive."), "error")
        return render_template("accounts/login.html", form=form, next=next_url), 401
    return render_template("accounts/login.html", form=form, next=next_url)


@bp.post("/logout")
def logout():
    form = EmptyForm()
    if form.validate_on_submit():
        services.close_session(session.get(SESSION_KEY))
        db.session.commit()
        logout_user()
        session.clear()
        flash(_("You have logged out."), "success")
    return redirect(url_for("main.home"))


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("accounts.account"))
    form = RegisterForm()
    next_url = safe_next(request.values.get("next"), "")  # kept through the mailed link
    if request.method == "GET":
        form.role.data = registration.role_for(next_url, request.args.get("role", ""))
    if form.validate_on_submit():
        try:
            existing, token = registration.start(
                email=form.email.data, display_name=form.display_name.data,
                role=form.role.data, password=form.password.data,
                language=current_language(), next_url=next_url)
        except services.AccountError as exc:
            form.password.errors.append(str(exc))
        else:
            if existing is not None:
                notices.account_exists(existing)
            else:
                notices.confirm_registration(form.email.data, current_language(),
                                             token or "")
            # The same answer whether or not the address has an account.
            flash(_("Check your e-mail: we sent %(email)s a message to finish the "
                    "registration.", email=form.email.data), "success")
            return redirect(url_for("accounts.login", next=next_url or None))
    return render_template("accounts/register.html", form=form, next=next_url or None)


@bp.route("/register/<token>", methods=["GET", "POST"])
def confirm(token: str):
    data = registration.peek(token)
    if data is None:
        flash(_("This link is invalid or expired. Register again."), "error")
        return redirect(url_for("accounts.register"))
    form = EmptyForm()
    if form.validate_on_submit():
        try:
            user = registration.finish(token)
        except services.AccountError as exc:
            flash(str(exc), "info")
            return redirect(url_for("accounts.login"))
        if user is None:
            return redirect(url_for("accounts.register"))
        start_session(user)
        db.session.commit()
        flash(_("Your account is ready."), "success")
        # Back where they registered from; else the home page lists the new account's
        # first steps (pairing/main/onboarding.py).
        return redirect(safe_next(data.get("x"), url_for("main.home")))
    return render_template("accounts/confirm.html", form=form, email=data["e"],
                           name=data["n"])


@bp.get("/account")
@login_required
def account():
    return render_template("accounts/account.html", form=EmptyForm(),
                           role_label=ROLE_LABELS.get(Role(current_user.role)))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()  # login_user must get the user, not a proxy
        try:
            services.change_password(user, form.current.data, form.password.data,
                                     end_tokens=form.end_tokens.data)
        except services.AccountError as exc:
            form.password.errors.append(str(exc))
        else:
            # Every other session ended with the change; this browser stays logged in.
            start_session(user)
            db.session.commit()
            flash(_("Your password was changed and every other session was ended."), "success")
            return redirect(url_for("accounts.account"))
    return render_template("accounts/password.html", form=form)


@bp.post("/account/logout-everywhere")
@login_required
def logout_everywhere():
    if EmptyForm().validate_on_submit():
        services.log_out_everywhere(current_user)
        db.session.commit()
        logout_user()
        session.clear()
        flash(_("You have logged out on every device, and your API tokens were revoked."),
              "success")
    return redirect(url_for("main.home"))


@bp.route("/forgot", methods=["GET", "POST"])
@limiter.limit("5 per minute", methods=["POST"])
def forgot():
    form = ForgotForm()
    if form.validate_on_submit():
        user = services.find_by_email(form.email.data)
        if user is not None and user.active:
            notices.reset_link(user, services.reset_token(user))
        # The same answer whether or not the address is known.
        flash(_("If the address has an account, a link to reset the password is on its way."),
              "success")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/forgot.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset(token: str):
    user = services.user_for_reset(token)
    if user is None:
        flash(_("This link is invalid, used or expired. Ask for a new one."), "error")
        return redirect(url_for("accounts.forgot"))
    form = ResetForm()
    if form.validate_on_submit():
        try:
            # A reset means the password may be known to someone else: every session and
            # every API token of the account end.
            services.set_password(user, form.password.data, end_tokens=True)
        except services.AccountError as exc:
            form.password.errors.append(str(exc))
        else:
            db.session.commit()
            flash(_("Your new password is set. Log in with it."), "success")
            return redirect(url_for("accounts.login"))
    return render_template("accounts/reset.html", form=form)
