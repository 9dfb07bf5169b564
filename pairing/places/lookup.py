"""Places and labels as people write them, read back as the codes the site stores.

A coordinator writes "浙江" or "浙江省" (or "Zhejiang"), not "33"; a secretary writes
"花垣县" or "湖南省花垣县" (or "湘西土家族苗族自治州花垣县"), not "433124"; a spreadsheet
says "就业岗位" where the site shows that label for the kind "jobs". Codes still work.
A county name shared by several counties ("鼓楼区") needs its province or city: the
answer is then a message, never a guess.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..extensions import db
from .models import County, Province

# The longest first: "广西壮族自治区" -> "广西", "北京市" -> "北京".
_PROVINCE_SUFFIXES = ("壮族自治区", "回族自治区", "维吾尔自治区", "特别行政区", "自治区", "省", "市")


def _norm(text: object) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text or ""))).lower()


def short_province(name: str) -> str:
    for suffix in _PROVINCE_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


class NotFound(ValueError):
    """The text names no place, or several: args[0] is the message for people."""


def province_code(text: object, session: Session | None = None) -> str:
    """"33", "浙江", "浙江省", "Zhejiang" -> "33"; NotFound otherwise."""
    session = session or db.session
    raw = _norm(text)
    if not raw:
        raise NotFound(_l("Enter a province."))
    for p in session.scalars(select(Province)):
        if raw in (p.code, _norm(p.name), _norm(short_province(p.name)), _norm(p.name_en)):
            return p.code
    raise NotFound(_l("No province is called “%(text)s”.", text=str(text).strip()))


def county_code(text: object, session: Session | None = None) -> str:
    """"433124", "花垣县", "湖南花垣县", "湖南省湘西土家族苗族自治州花垣县" -> "433124"."""
    session = session or db.session
    raw = _norm(text)
    if not raw:
        raise NotFound(_l("Enter a county."))
    if raw.isdigit():
        if session.get(County, raw) is not None:
            return raw
        raise NotFound(_l("No county has the code %(code)s.", code=raw))
    # Candidates whose name ends the text (or whose name without 县/区/市 is the text).
    matches = []
    for code, name, city, province in _counties(session):
        name_n = _norm(name)
        bare = name_n[:-1] if len(name_n) > 2 and name_n[-1] in "县区市旗" else name_n
        if not (raw.endswith(name_n) or raw == bare):
            continue
        before = raw[: len(raw) - len(name_n)] if raw.endswith(name_n) else ""
        # What stands before the county must be its province and/or city, nothing else.
        rest = before
        for part in (_norm(province), _norm(short_province(province))):
            if rest.startswith(part):
                rest = rest[len(part):]
                break
        if rest and rest not in (_norm(city), _norm(city).removesuffix("市")):
            continue
        matches.append(code)
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise NotFound(_l("Several counties are called “%(text)s”: write the province "
                          "before it (such as 湖南省花垣县) or the county's code.",
                          text=str(text).strip()))
    raise NotFound(_l("No county is called “%(text)s”.", text=str(text).strip()))


def _counties(session: Session) -> list[tuple[str, str, str, str]]:
    """(code, name, city, province name) of every county, read once per transaction
    (an import of 5,000 rows looks each row's county up)."""
    cached = session.info.get("place_lookup_counties")
    if cached is None:
        cached = [tuple(row) for row in session.execute(
            select(County.code, County.name, County.city, Province.name)
            .join(Province, Province.code == County.province_code))]
        session.info["place_lookup_counties"] = cached
    return cached


def province_codes(text: object, session: Session | None = None) -> list[str]:
    """A list of provinces as written in one cell: "52 53", "贵州、云南", "贵州省,云南省"."""
    parts = re.split(r"[\s,，、;；/]+", unicodedata.normalize("NFKC", str(text or "")).strip())
    return [province_code(part, session) for part in parts if part]


def place_code(text: object, session: Session | None = None) -> str:
    """A jurisdiction as written: "CN"/"全国", a province ("浙江", "33") or a county
    ("花垣县", "433124")."""
    from ..accounts.models import COUNTRY

    raw = _norm(text)
    if raw in (COUNTRY.lower(), "全国", "nationwide", "china", "中国"):
        return COUNTRY
    try:
        return province_code(text, session)
    except NotFound:
        if raw.isdigit() and len(raw) != 6:
            raise NotFound(_l("Enter CN, a province or a county (name or code).")) from None
        return county_code(text, session)


def place_options(session: Session | None = None) -> list[tuple[str, str]]:
    """(code, name) of the country and every province in the page's language, for the
    place pickers' <datalist> (a template global)."""
    from ..accounts.models import COUNTRY
    from ..formatting import is_chinese

    session = session or db.session
    language = "zh" if is_chinese() else "en"
    return [(COUNTRY, "全国" if language == "zh" else "Nationwide")] + [
        (p.code, p.display_name(language))
        for p in session.scalars(select(Province).order_by(Province.code))]


def label_code(text: object, labels: Mapping[str, Any]) -> str | None:
    """A code from its code, its English label or its Chinese label, as the site shows
    them ("jobs", "Jobs", "就业岗位"); None when it is none of them."""
    raw = _norm(text)
    if not raw:
        return None
    codes = {_norm(code): code for code in labels}
    if raw in codes:
        return codes[raw]
    for language in ("zh", "en"):
        with force_locale(language):
            for code, label in labels.items():
                if _norm(str(label)) == raw:
                    return code
    return None
