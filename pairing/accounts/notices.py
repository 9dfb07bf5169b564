"""The account mails: each in its recipient's language, every link from PUBLIC_URL."""

from __future__ import annotations

from flask import url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from .. import mail
from ..i18n import LANGUAGES
from .models import User


def _language(language: str | None) -> str:
    return language if language in LANGUAGES else "zh"


def reset_link(user: User, token: str) -> None:
    with force_locale(_language(user.language)):
        link = mail.link(url_for("accounts.reset", token=token))
        mail.send(user.email, _("Reset your password"),
                  _("Open this link within an hour to choose a new password:\n\n%(link)s\n\n"
                    "If you did not ask for it, ignore this message.", link=link))


def confirm_registration(email: str, language: str, token: str) -> None:
    with force_locale(_language(language)):
        link = mail.link(url_for("accounts.confirm", token=token))
        mail.send(email, _("Finish your registration"),
                  _("Open this link within a day to create your account:\n\n%(link)s\n\n"
                    "If you did not register, ignore this message: nothing was created.",
                    link=link))


def account_exists(user: User) -> None:
    """Someone registered with an address that has an account: tell its owner, not them."""
    with force_locale(_language(user.language)):
        login = mail.link(url_for("accounts.login"))
        forgot = mail.link(url_for("accounts.forgot"))
        mail.send(user.email, _("Someone tried to register with your address"),
                  _("Someone (perhaps you) tried to register a new account with this e-mail "
                    "address, which has an account already. Nothing was changed.\n\n"
                    "Log in: %(login)s\nForgot your password? %(forgot)s\n\n"
                    "If it was not you, ignore this message.", login=login, forgot=forgot))
