"""Developer tool: write an area's catalogue from a dict of translations.

    python -m pairing.i18n_tool AREA FILE.py   # FILE defines T = {msgid: translation}
    python -m pairing.i18n_tool prune          # drops entries the code no longer asks for

Existing entries of the area are kept unless FILE changes them.
"""

from __future__ import annotations

import runpy
import sys
from collections.abc import Collection

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from .i18n import TRANSLATIONS, key, unused


def write(area: str, entries: dict[str, str], language: str = "zh",
          drop: Collection[str] = ()) -> int:
    """Add or change `entries` in the area's catalogue and remove the keys in `drop`
    (i18n.key: context and id); returns how many entries it holds."""
    path = TRANSLATIONS / area / language / "LC_MESSAGES" / "messages.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    catalogue = Catalog(locale=language, project="pairing", charset="utf-8")
    if path.exists():
        with path.open("rb") as f:
            for message in read_po(f):
                ids = (message.id,) if isinstance(message.id, str) else message.id
                if message.id and key(ids[0], message.context) not in drop:
                    # the context and comments are kept: "thing" Name is not Name
                    catalogue.add(message.id, message.string, context=message.context,
                                  user_comments=message.user_comments, flags=message.flags)
    for msgid, text in entries.items():
        catalogue.add(msgid, text)
    with path.open("wb") as f:  # a wide width: 0 leaves messages whole but wraps comments
        write_po(f, catalogue, width=10_000, sort_output=True, omit_header=False)
    return len(catalogue)


def prune(language: str = "zh") -> int:
    """Remove every entry no message of the code asks for (i18n.unused); returns how many."""
    stale = unused(language)
    for area, keys in stale.items():
        write(area, {}, language, drop=set(keys))
    return sum(map(len, stale.values()))


if __name__ == "__main__":
    if sys.argv[1:] == ["prune"]:
        print(prune(), "stale messages removed")
    else:
        area, source = sys.argv[1], sys.argv[2]
        print(write(area, runpy.run_path(source)["T"]), "messages")
