"""Two languages: complete Chinese catalogue, switcher, Accept-Language."""

from __future__ import annotations

import pytest

from pairing.i18n import missing, unused


def test_chinese_catalogue_translates_every_message():
    untranslated = missing("zh")
    assert untranslated == {}, "\n".join(f"{w[0]}: {m!r}" for m, w in untranslated.items())


def test_every_catalogue_entry_is_a_message_of_the_code():
    """An entry left behind when its message changed would mislead the next translator."""
    assert unused("zh") == {}


def test_accept_language_chooses(client):
    assert "万企帮万村" in client.get("/", headers={"Accept-Language": "zh-CN"}).get_data(
        as_text=True)
    page = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(as_text=True)
    assert "10,000 Enterprises Help 10,000 Villages" in page and 'lang="en"' in page


def test_default_is_chinese(client):
    assert 'lang="zh-Hans"' in client.get("/").get_data(as_text=True)


def test_switcher_is_remembered_and_returns_to_the_page(client):
    r = client.get("/lang/en?next=/login", headers={"Accept-Language": "zh"})
    assert r.status_code == 302 and r.headers["Location"] == "/login"
    page = client.get("/login", headers={"Accept-Language": "zh"}).get_data(as_text=True)
    assert "Forgot your password?" in page
    client.get("/lang/zh?next=/login")
    assert "忘记密码" in client.get("/login").get_data(as_text=True)


def test_switcher_never_redirects_off_site(client):
    for target in ("//evil.example", "https://evil.example"):
        r = client.get(f"/lang/en?next={target}")
        assert r.headers["Location"] == "/"


def test_unknown_language_is_ignored(client):
    client.get("/lang/xx")
    assert 'lang="zh-Hans"' in client.get("/").get_data(as_text=True)


def test_form_errors_in_chinese(client):
    import support

    r = support.post(client, "/register", {"role": "donor", "display_name": "", "email": "bad",
                                           "password": "x", "confirm": "y"},
                     headers={"Accept-Language": "zh"})
    text = r.get_data(as_text=True)
    assert "请输入有效的电子邮件地址" in text and "两次输入的密码不一致" in text


def test_areas_translate_a_message_the_same_way():
    """Catalogues are merged at run time, so two areas translating one English message
    differently would make one page use the other's wording."""
    from babel.messages.pofile import read_po

    from pairing.i18n import TRANSLATIONS, key

    seen: dict[str, dict[str, str]] = {}
    for po in sorted(TRANSLATIONS.glob("*/zh/LC_MESSAGES/messages.po")):
        with po.open("rb") as f:
            for message in read_po(f):
                if message.id and isinstance(message.id, str) and message.string:
                    seen.setdefault(key(message.id, message.context), {})[po.parts[-4]] = \
                        message.string
    clashes = {m: areas for m, areas in seen.items() if len(set(areas.values())) > 1}
    assert clashes == {}


def test_a_context_makes_its_own_message():
    """pgettext("thing", "Name") is another message than "Name" (a person's): the
    missing-translation check finds it in the code and reads its own translation."""
    from pairing.i18n import extract, key, translations

    found, have = extract(), translations()
    assert key("Name", "thing") in found and "Name" in found
    assert (have[key("Name", "thing")], have["Name"]) == ("名称", "姓名")
    assert (have[key("Education", "sector")], have["Education"]) == ("教育", "教育帮扶")


def test_templates_follow_a_forced_locale_inside_a_request(app):
    """Templates look the translations up once per request, yet an e-mail rendered in its
    reader's language (force_locale) inside a Chinese page's request is in that language,
    and the page's own strings are Chinese again after it."""
    from flask import render_template_string
    from flask_babel import force_locale

    with app.test_request_context("/", headers={"Accept-Language": "zh"}):
        assert render_template_string("{{ _('Dashboard') }}") == "数据公示"
        with force_locale("en"):
            assert render_template_string("{{ _('Dashboard') }}") == "Dashboard"
        assert render_template_string("{{ _('Dashboard') }}") == "数据公示"


@pytest.mark.parametrize("autoescape", [True, False])
def test_template_gettext_is_jinjas_newstyle_gettext(app, autoescape):
    """The one-call `_()` of templates (request_i18n.template_gettext) answers what Jinja's
    own newstyle gettext answers: translated, variables escaped where the template
    escapes, `%%` formatted to `%` with or without variables."""
    from jinja2 import Environment

    jinja = Environment(extensions=["jinja2.ext.i18n"], autoescape=autoescape)
    with app.test_request_context("/", headers={"Accept-Language": "zh"}):
        from pairing.request_i18n import request_translations

        jinja.install_gettext_callables(  # type: ignore[attr-defined]
            lambda s: request_translations().ugettext(s),
            lambda s, p, n: request_translations().ungettext(s, p, n), newstyle=True)
        ours = app.jinja_env
        for source, values in [("{{ _('Dashboard') }}", {}),
                               ("{{ _('Offer %(n)s', n=x) }}", {"x": "<b>7</b>"}),
                               ("{{ gettext('100%% sure <i>%(n)s</i>', n=x) }}", {"x": "&"}),
                               ("{{ _('Rate: 5%%') }}", {}),
                               ("{% trans n=x %}Offer {{ n }}{% endtrans %}", {"x": "<i>"})]:
            theirs = jinja.from_string(source).render(**values)
            mine = ours.from_string(source).render(**values) if autoescape else \
                ours.overlay(autoescape=False).from_string(source).render(**values)
            assert mine == theirs, source
