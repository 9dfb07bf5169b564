"""Does a help request's public text tell the illness the household has not agreed to show?

The illness details are for the verifier; the crowdfunding page shows them only when the
household agreed (show_diagnosis, with its consent to the use of sensitive data). The title
and story are public whatever that choice, and a secretary who copies the details into them
("吴阿姨双眼白内障") undoes it. This finds such copies so that the secretary sees them before
submitting and the verifier before the notice starts. It finds the details' own words, not
every way of telling them ("心梗" for "急性心肌梗死" passes): a help, not the check itself.
"""

from __future__ import annotations

import re
from typing import Any, Protocol


class HelpRequest(Protocol):
    """What these checks read of a help request (giving.models.HelpRequest): described,
    not imported, as the model reads this module for its public title and story."""

    title: str
    story: str
    diagnosis: str
    show_diagnosis: bool
    household: Any

# Runs of Chinese characters; Latin words long enough to mean something ("HIV" is too
# short to tell from an abbreviation, "leukaemia" is not).
_HAN = re.compile(r"[\u3400-\u9fff]+")
_WORD = re.compile(r"[A-Za-z]{4,}")


def agreed(req: HelpRequest) -> bool:
    """The household agreed to show the illness details publicly: the crowdfunding page
    shows them only then (templates call it illness_agreed)."""
    return bool(req.show_diagnosis and req.household and req.household.consent_sensitive)


def repeated(details: str, text: str) -> list[str]:
    """The longest pieces of `details` (two Chinese characters or more, or one Latin word
    of four letters or more) that `text` contains, in the order of `details`."""
    found: list[str] = []
    for run in _HAN.findall(details):
        i = 0
        while i < len(run) - 1:
            j = i + 2
            if run[i:j] not in text:
                i += 1
                continue
            while j < len(run) and run[i:j + 1] in text:
                j += 1
            found.append(run[i:j])
            i = j
    lower = text.lower()
    found += [w for w in _WORD.findall(details) if w.lower() in lower]
    return list(dict.fromkeys(found))


def illness_told(req: HelpRequest) -> list[str]:
    """Pieces of the illness details that the title or story repeat although the household
    has not agreed to show them (empty when it has, or when there are no details)."""
    if not req.diagnosis or agreed(req):
        return []
    return repeated(req.diagnosis, f"{req.title}\n{req.story}")


# Who the household is, in public text: the head's name (the public pages show "张**"), a
# resident ID number (15 or 18 characters) and phone numbers (mobile, or a landline with
# its area code).
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8,11}([0-9Xx])(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)(0\d{2,3})-\d{7,8}(?!\d)")


def _names(req: HelpRequest) -> list[tuple[str, str]]:
    """(name as written, its mask): the full name first, then the given name when it is two
    characters or more ("张大山": "张大山" -> "张**", "大山" -> "**")."""
    if req.household is None:
        return []
    name = req.household.head_name.strip()
    found = [(name, req.household.public_name)] if len(name) >= 2 else []
    if len(name) >= 3:
        found.append((name[1:], "*" * (len(name) - 1)))
    return found


def identity_told(req: HelpRequest) -> list[str]:
    """The household head's name, ID numbers and phone numbers that the title or story
    contain: public text must not say who the household is. The secretary is warned and a
    verifier cannot approve until they are gone."""
    text = f"{req.title}\n{req.story}"
    found = [name for name, _ in _names(req) if name in text]
    for pattern in (_ID_NUMBER, _MOBILE, _LANDLINE):
        found += [m.group(0) for m in pattern.finditer(text)]
    return list(dict.fromkeys(found))


def masked(req: HelpRequest, text: str) -> str:
    """`text` (the request's title or story) as the public sees it: names and numbers that
    tell who the household is are masked, also in requests approved before this check."""
    for name, mask in _names(req):
        text = text.replace(name, mask)
    text = _ID_NUMBER.sub(lambda m: m.group(1) + "*" * (len(m.group(0)) - 10)
                          + m.group(0)[-4:], text)
    text = _MOBILE.sub(lambda m: m.group(1) + "****" + m.group(2), text)
    return _LANDLINE.sub(lambda m: m.group(1) + "-********", text)
