"""Translations looked up once per request (Flask-Babel's own lookup, per string, cost a
tenth of a list page's time); used by the app's Babel (extensions.py) and the templates'
gettext (i18n.py)."""

from __future__ import annotations

from functools import cached_property

from flask import g
from flask_babel import Babel, Domain, get_translations
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup


def request_translations(lookup=get_translations):  # noqa: ANN001, ANN201 - babel's Translations
    """The translations of this request, looked up once per request and locale.

    Flask-Babel finds them anew for every string (four context lookups and the locale's
    name each time): a list page's two hundred strings cost a tenth of its time. The
    result is kept beside Flask-Babel's own locale, so `force_locale` (an e-mail in its
    reader's language) is still obeyed: another locale object, another lookup."""
    try:
        state = g._get_current_object().__dict__.get("_flask_babel")  # noqa: SLF001
    except RuntimeError:  # outside any app context
        return lookup()
    if state is None:
        return lookup()
    kept = state.__dict__.get("pairing_translations")
    locale = state.__dict__.get("babel_locale")
    if kept is not None and locale is not None and kept[0] is locale:
        return kept[1]
    found = lookup()
    state.pairing_translations = (state.__dict__.get("babel_locale"), found)
    return found


@pass_context
def template_gettext(context: Context, string: str, /, **variables: object) -> str:
    """`_()` and `gettext()` of templates: Jinja's newstyle gettext (escaped, always
    %-formatted) in one call. Jinja's own goes through three context calls, 10 µs a
    string where the look-up is 1: a verifier's queue page says 300 of them."""
    rv = request_translations().ugettext(string)
    if context.eval_ctx.autoescape:
        rv = Markup(rv)
    # Without variables or a % in it, formatting would give back the same string.
    return rv % variables if variables or "%" in rv else rv


class RequestDomain(Domain):
    """Flask-Babel's domain with the per-request lookup above: the same for `_()` and the
    lazy labels of Python code (kinds, statuses, figures) as for templates."""

    def get_translations(self):  # noqa: ANN201
        return request_translations(super().get_translations)


class RequestBabel(Babel):
    @cached_property
    def domain_instance(self) -> Domain:
        return RequestDomain(domain=self.domain)
