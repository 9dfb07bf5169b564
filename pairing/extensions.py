"""Extension objects, created unbound and initialised in create_app."""

from __future__ import annotations

from flask import has_request_context, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from . import inputs
from .request_i18n import RequestBabel

# Named constraints keep Alembic migrations identical on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Database(SQLAlchemy):
    def paginate(self, select, *, page: int | None = None,  # noqa: ANN001, ANN201
                 per_page: int | None = None, **kwargs):  # noqa: ANN003
        """Flask-SQLAlchemy's, with the page and page size read as bounded numbers: its
        own reading passes ?page=99999999999999999999 on to the database, which fails."""
        if has_request_context():
            page = inputs.page_arg() if page is None else page
            per_page = inputs.int_arg("per_page", 20, hi=100) if per_page is None else per_page
        return super().paginate(select, page=page, per_page=per_page, **kwargs)


db = Database(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = RequestBabel()  # translations looked up once per request (pairing/i18n.py)


def client_address() -> str:
    return get_remote_address() or request.remote_addr or "unknown"


limiter = Limiter(key_func=client_address, default_limits=[], headers_enabled=True)
