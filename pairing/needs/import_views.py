"""The upload → preview → confirm page shared by the village/need and offer imports."""

from __future__ import annotations

from collections.abc import Callable

from flask import Response, flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import HiddenField

from ..extensions import db
from ..i18n import current_language
from . import sheets


class ImportForm(FlaskForm):
    file = FileField(_l("Spreadsheet (.xlsx or .csv)"))
    token = HiddenField()


def headers(columns: dict[str, tuple[str, ...]]) -> list[str]:
    """Column titles in the reader's language (any of them is accepted on upload)."""
    return [names[0] if current_language() == "zh" else key for key, names in columns.items()]


def template_response(ext: str, columns: dict, example: list[list[object]], name: str):
    if ext not in ("xlsx", "csv"):
        return Response(status=404)
    mime = "text/csv; charset=utf-8" if ext == "csv" else \
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(sheets.template(ext, headers(columns), example), mimetype=mime,
                    headers={"Content-Disposition": f"attachment; filename={name}.{ext}"})


def handle(*, columns: dict, preview: Callable, write: Callable, title: object,
           template_endpoint: str, done: Callable[[object], str], back: str):
    form = ImportForm()
    rows, token = None, ""
    if request.method == "POST" and form.validate_on_submit():
        try:
            if form.token.data:  # confirmation of a previewed file
                token = form.token.data
                ext, data = sheets.load(current_user.id, token)
            else:
                upload = form.file.data
                if upload is None or not upload.filename:
                    raise sheets.SheetError(_l("Choose a file."))
                data = upload.read(sheets.MAX_BYTES + 1)
                ext = sheets.check(upload.filename, data)
            records = sheets.records(sheets.rows(ext, data), columns)
            rows = preview(current_user, records)
            if form.token.data and not any(r.errors for r in rows):
                result = write(current_user, rows)
                db.session.commit()
                sheets.drop(token)
                flash(done(result), "success")
                return redirect(back)
            db.session.rollback()
            if not form.token.data:
                token = sheets.keep(current_user.id, ext, data)
        except sheets.SheetError as exc:
            db.session.rollback()
            flash(str(exc.args[0]), "error")
            rows, token = None, ""
    return render_template("needs/import.html", form=form, rows=rows, token=token,
                           title=title, columns=list(columns), headers=headers(columns),
                           template_endpoint=template_endpoint,
                           valid=rows is not None and not any(r.errors for r in rows))


def done_villages(result: tuple[int, int]) -> str:
    return _("Imported %(v)d villages and %(n)d needs.", v=result[0], n=result[1])


def done_offers(result: int) -> str:
    return _("Imported %(n)d offers.", n=result)
