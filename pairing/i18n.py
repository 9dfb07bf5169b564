"""Languages: English and Simplified Chinese.

Each area keeps its own catalogue under translations/<area>/ so that areas can be built
side by side; Flask-Babel merges them. The choice comes from the header's switcher (a
cookie) or else from Accept-Language.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, request
from flask_babel import get_locale

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations"
LANGUAGES = {"zh": "中文", "en": "English"}
COOKIE = "lang"


def catalogue_dirs() -> list[Path]:
    return sorted(p for p in TRANSLATIONS.iterdir() if p.is_dir()) if TRANSLATIONS.exists() else []


def select_locale() -> str:
    chosen = request.cookies.get(COOKIE)
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(list(LANGUAGES), default="zh") or "zh"


def current_language() -> str:
    locale = get_locale()
    return locale.language if locale else "zh"


def compile_catalogues() -> int:
    """Compile every messages.po into messages.mo; returns how many were written."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    count = 0
    for po in TRANSLATIONS.glob("*/*/LC_MESSAGES/messages.po"):
        with po.open("rb") as f:
            catalogue = read_po(f)
        with po.with_suffix(".mo").open("wb") as f:
            write_mo(f, catalogue)
        count += 1
    return count


KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None,
            "_l": None, "lazy_ngettext": (1, 2), "pgettext": ((1, "c"), 2),
            "lazy_pgettext": ((1, "c"), 2)}


def key(msgid: str, context: str | None) -> str:
    """A message's key as gettext stores it: the context, EOT, the id (the id alone
    without a context), so "Name" of a person and of a thing are two messages."""
    return f"{context}\x04{msgid}" if context else msgid
METHODS = [("pairing/**.py", "python"), ("templates/**.html", "jinja2.ext:babel_extract")]


def extract() -> dict[str, list[str]]:
    """Every translatable message of the code and templates, with where it stands."""
    from babel.messages.extract import extract_from_dir

    found: dict[str, list[str]] = {}
    for filename, lineno, message, _comments, context in extract_from_dir(
        str(ROOT), METHODS, keywords=KEYWORDS, options_map={"templates/**.html": {
            "extensions": "jinja2.ext.do"}},
    ):
        ids = message if isinstance(message, tuple) else (message,)
        for msgid in ids:
            if msgid:
                found.setdefault(key(msgid, context), []).append(f"{filename}:{lineno}")
    return found


def translations(language: str = "zh") -> dict[str, str]:
    """The merged catalogues of every area for one language: key (see `key`) ->
    translation."""
    from babel.messages.pofile import read_po

    merged: dict[str, str] = {}
    for po in sorted(TRANSLATIONS.glob(f"*/{language}/LC_MESSAGES/messages.po")):
        with po.open("rb") as f:
            for message in read_po(f):
                if message.id and message.string:
                    # A plural entry translates its singular and its plural id (Chinese
                    # has one form, msgstr[0]).
                    keys = (message.id,) if isinstance(message.id, str) else message.id
                    value = message.string if isinstance(message.string, str) \
                        else message.string[0]
                    if value:
                        merged.update(dict.fromkeys((key(k, message.context) for k in keys), value))
    return merged


def missing(language: str = "zh") -> dict[str, list[str]]:
    """Messages of the code that no catalogue of `language` translates."""
    have = translations(language)
    return {m: where for m, where in extract().items() if m not in have}


def unused(language: str = "zh") -> dict[str, list[str]]:
    """{area: keys} of catalogue entries no message of the code asks for any more (they
    would only mislead the next translator)."""
    from babel.messages.pofile import read_po

    wanted = extract()
    found: dict[str, list[str]] = {}
    for po in sorted(TRANSLATIONS.glob(f"*/{language}/LC_MESSAGES/messages.po")):
        with po.open("rb") as f:
            for message in read_po(f):
                ids = (message.id,) if isinstance(message.id, str) else message.id
                if message.id and not any(key(i, message.context) in wanted for i in ids):
                    found.setdefault(po.parents[2].name, []).append(key(ids[0], message.context))
    return found


def init_app(app: Flask) -> None:
    from .extensions import babel
    from .request_i18n import request_translations, template_gettext

    app.config["BABEL_TRANSLATION_DIRECTORIES"] = ";".join(str(p) for p in catalogue_dirs())
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: request_translations().ugettext(s),
        ngettext=lambda s, p, n: request_translations().ungettext(s, p, n),
        pgettext=lambda c, s: request_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: request_translations().unpgettext(c, s, p, n),
        newstyle=True)
    app.jinja_env.globals.update(_=template_gettext, gettext=template_gettext)

    @app.context_processor
    def languages() -> dict[str, object]:
        return {"LANGUAGES": LANGUAGES, "current_language": current_language}


if __name__ == "__main__":
    import sys

    if sys.argv[1:] == ["missing"]:
        for msgid, where in sorted(missing().items()):
            print(f"{where[0]}\t{msgid!r}")
    elif sys.argv[1:] == ["unused"]:
        for area, keys in sorted(unused().items()):
            print("\n".join(f"{area}\t{k!r}" for k in keys))
    else:
        print(f"compiled {compile_catalogues()} catalogues")
