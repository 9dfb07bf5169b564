"""Discovery of the areas of pairing/ (accounts, places, enterprises, ...).

Every area uses the same module names, so wiring needs no central list that each new
area must edit:
- models.py: its tables (imported so that the metadata is complete);
- views.py: every Blueprint object at module level is registered (an area whose pages
  span several modules keeps its blueprint in blueprint.py; views.py imports the others);
- jobs.py: housekeeping jobs registered with `pairing.housekeeping.job`;
- checks.py: invariants between its rows and the ledger, registered with
  `pairing.ledger.services.invariant` (run by `flask ledger verify`);
- cli.py: a list `commands` of click commands or groups added to `flask`;
- demo.py: `extend(session, demo)` adds the area's demo content after the base demo;
  `finish(session, demo)`, if present, runs once every area has extended it;
- labels.py: names its codes for the audit log (`pairing.audit.labels.register_values`),
  so that audit, below every area, imports none of them;
- listing.py: session listeners that keep copied columns right (imported with the models).

ORDER is the layer order of the areas, lowest first: a module of an area imports, at
module level, only its own area, the areas before it and the modules directly in
pairing/ (tests/test_architecture.py checks it, see ARCHITECTURE.md). Jobs, demos, views
and commands are taken in this order too.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from types import ModuleType

import pairing

ORDER = ["ledger", "audit", "accounts", "notices", "places", "enterprises", "needs", "payments",
         "verification", "giving", "matching", "monitoring", "appeals", "shop", "stats", "api",
         "privacy", "main"]
# an area missing from ORDER comes last (tests/test_architecture.py asks for it to be listed)


def names() -> list[str]:
    found = [m.name for m in pkgutil.iter_modules(pairing.__path__) if m.ispkg]
    return sorted(found, key=lambda n: (ORDER.index(n) if n in ORDER else len(ORDER), n))


def modules(kind: str) -> Iterator[ModuleType]:
    """The `kind` module (e.g. "views") of every area that has one."""
    for area in names():
        try:
            yield importlib.import_module(f"pairing.{area}.{kind}")
        except ModuleNotFoundError as exc:
            if exc.name != f"pairing.{area}.{kind}":
                raise
