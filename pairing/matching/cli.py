"""`flask rounds run`: open and run a pairing round from the command line."""

from __future__ import annotations

import click
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import select

from ..accounts.models import Role, User
from ..enterprises.rules import Invalid
from ..extensions import db
from . import jobs, services
from .models import Round

rounds = AppGroup("rounds", help="Pairing rounds.")


@rounds.command("run")
@click.option("--province", default=None, help="2-digit province code; nationwide if omitted")
@click.option("--as", "email", default=None, help="coordinator e-mail (default: the first "
              "nationwide coordinator)")
@with_appcontext
def run_command(province: str | None, email: str | None) -> None:
    """Open a round with default weights and run it here, in this process."""
    q = select(User).where(User.role == Role.COORDINATOR, User.active).order_by(User.id)
    q = q.where(User.email == email.lower()) if email else q.where(User.jurisdiction == "CN")
    actor = db.session.scalar(q)
    if actor is None:
        raise click.ClickException("no such active coordinator")
    try:
        rnd = services.create_round(actor, province, {})
        services.start_round(actor, rnd)
    except Invalid as exc:
        raise click.ClickException(", ".join(exc.errors)) from exc
    round_id = rnd.id
    db.session.commit()
    jobs.run(round_id)
    rnd = db.session.get(Round, round_id)
    if rnd is None or rnd.status != "done":
        raise click.ClickException(f"round {round_id} failed: {rnd.error if rnd else ''}")
    f = rnd.figures or {}
    click.echo(f"round {round_id}: {f.get('proposed')} pairs proposed from {f.get('offers')} "
               f"offers and {f.get('needs')} needs; score {f['solver']['objective']} "
               f"(greedy {f['greedy']['objective']})")


commands = [rounds]
