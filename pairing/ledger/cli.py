"""`flask ledger verify`: the books and every area's invariants (ledger.verify)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from . import services

ledger = AppGroup("ledger", help="The double-entry ledger.")


@ledger.command("verify")
def verify() -> None:
    """Print every problem with the books; exit 1 when there is any."""
    problems = services.verify()
    for line in problems:
        click.echo(line)
    if problems:
        click.echo(f"{len(problems)} problem(s)", err=True)
        raise SystemExit(1)
    click.echo("ledger verified: every transaction balances and every invariant holds")


commands = [ledger]
