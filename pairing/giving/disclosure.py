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

from .models import HelpRequest

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
