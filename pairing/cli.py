"""Thin `flask` commands over the services."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import func, select

from .extensions import db

users = AppGroup("users", help="Manage accounts.")
demo = AppGroup("demo", help="Demo data.")
places = AppGroup("places", help="Reference data.")
translations = AppGroup("translations", help="Language catalogues.")


@users.command("create")
@click.option("--email", required=True)
@click.option("--password", required=True, prompt=True, hide_input=True)
@click.option("--name", "display_name", required=True)
@click.option("--role", required=True,
              type=click.Choice(["enterprise", "secretary", "donor", "verifier", "coordinator"]))
@click.option("--jurisdiction", default=None, help="CN, a province code or a county code")
def users_create(email: str, password: str, display_name: str, role: str,
                 jurisdiction: str | None) -> None:
    """Create an account (verifiers and coordinators need --jurisdiction)."""
    from .accounts import services

    try:
        user = services.create_user(email=email, password=password, display_name=display_name,
                                    role=role, jurisdiction=jurisdiction)
    except services.AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"created user {user.id} {user.email} ({user.role})")


@places.command("load")
def places_load() -> None:
    """Load provinces, counties and the default east–west pairs when missing."""
    from .places.services import load_reference_data

    loaded = load_reference_data()
    db.session.commit()
    click.echo("reference data loaded" if loaded else "reference data already present")


def _refuse_demo(demo_data) -> None:  # noqa: ANN001
    try:
        demo_data.refuse_in_production()
    except demo_data.DemoRefused as exc:
        raise click.ClickException(str(exc)) from exc


@demo.command("load")
@click.option("--scale", type=click.Choice(["demo", "national"]), default="demo")
def demo_load(scale: str) -> None:
    """Load believable demo data; running it twice changes nothing."""
    from . import demo as demo_data

    _refuse_demo(demo_data)
    if scale == "national":
        loader = getattr(demo_data, "load_national", None)
        if loader is None:
            raise click.ClickException("national scale data is not available yet")
        loader(echo=click.echo)
        return
    demo_data.load(echo=click.echo)


@demo.command("load-if-empty")
def demo_load_if_empty() -> None:
    """Load the demo only into an empty database (used by `make run`)."""
    from . import demo as demo_data
    from .accounts.models import User

    _refuse_demo(demo_data)
    if db.session.scalar(select(func.count()).select_from(User)):
        click.echo("database has accounts: demo not loaded")
        from .places.services import load_reference_data

        load_reference_data()
        db.session.commit()
        return
    demo_data.load(echo=click.echo)


@click.command("housekeeping")
@with_appcontext
def housekeeping_command() -> None:
    """Run every time-based job once (expiries, deadlines)."""
    from . import housekeeping

    done = housekeeping.run_all(db.session)
    click.echo(" ".join(f"{name}={count}" for name, count in done.items()))


@click.command("backup")
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(target: Path) -> None:
    """Copy a live SQLite database with SQLite's online backup (PostgreSQL: use pg_dump)."""
    url = db.engine.url
    if url.get_backend_name() != "sqlite":
        raise click.ClickException("this is PostgreSQL: back it up with pg_dump "
                                   "(see README.md, Production)")
    source = sqlite3.connect(url.database)
    try:
        dest = sqlite3.connect(target)
        with dest:
            source.backup(dest)
        dest.close()
    finally:
        source.close()
    click.echo(f"backed up {url.database} to {target}")


@translations.command("compile")
def translations_compile() -> None:
    """Compile the language catalogues."""
    from .i18n import compile_catalogues

    click.echo(f"compiled {compile_catalogues()} catalogues")


def init_app(app: Flask) -> None:
    from . import areas

    for command in (users, demo, places, translations, housekeeping_command, backup_command):
        app.cli.add_command(command)
    for module in areas.modules("cli"):
        for command in getattr(module, "commands", []):
            app.cli.add_command(command)
