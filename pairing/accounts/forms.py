"""Account forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from ..fields import PlaceField
from .models import Role

ROLE_LABELS = {
    Role.ENTERPRISE: _l("Enterprise officer"),
    Role.SECRETARY: _l("Village first secretary"),
    Role.DONOR: _l("Donor"),
    Role.VERIFIER: _l("Verifier"),
    Role.COORDINATOR: _l("Coordinator"),
}


def _password(label: object) -> PasswordField:
    return PasswordField(label, validators=[
        DataRequired(), Length(min=10, max=128, message=_l("Use 10 to 128 characters.")),
    ])


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=128)])


class RegisterForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[
        DataRequired(), Email(message=_l("Enter a valid e-mail address.")), Length(max=254)])
    display_name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=80)])
    role = SelectField(_l("I am"), choices=[
        (Role.ENTERPRISE.value, ROLE_LABELS[Role.ENTERPRISE]),
        (Role.SECRETARY.value, ROLE_LABELS[Role.SECRETARY]),
        (Role.DONOR.value, ROLE_LABELS[Role.DONOR]),
    ])
    password = _password(_l("Password"))
    confirm = PasswordField(_l("Repeat the password"), validators=[
        DataRequired(), EqualTo("password", message=_l("The two passwords differ."))])


class ChangePasswordForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired()])
    password = _password(_l("New password"))
    confirm = PasswordField(_l("Repeat the new password"), validators=[
        DataRequired(), EqualTo("password", message=_l("The two passwords differ."))])
    end_tokens = BooleanField(_l("Also revoke my API tokens"), default=True)


class ForgotForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])


class ResetForm(FlaskForm):
    password = _password(_l("New password"))
    confirm = PasswordField(_l("Repeat the new password"), validators=[
        DataRequired(), EqualTo("password", message=_l("The two passwords differ."))])


class EmptyForm(FlaskForm):
    """A button that only needs its CSRF token (log out, deactivate)."""


class StaffForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[
        DataRequired(), Email(message=_l("Enter a valid e-mail address.")), Length(max=254)])
    display_name = StringField(_l("Name"), validators=[DataRequired(), Length(max=80)])
    role = SelectField(_l("Role"), choices=[
        (Role.VERIFIER.value, ROLE_LABELS[Role.VERIFIER]),
        (Role.COORDINATOR.value, ROLE_LABELS[Role.COORDINATOR]),
    ])
    jurisdiction = PlaceField(_l("Jurisdiction"), validators=[DataRequired(), Length(max=6)],
                              description=_l("CN (全国) for the whole country, a province "
                                             "(浙江) or a county (湖南省花垣县), by name or "
                                             "code"))
    password = _password(_l("Initial password"))


class JurisdictionForm(FlaskForm):
    jurisdiction = PlaceField(_l("Jurisdiction"), validators=[DataRequired(), Length(max=6)])
