"""Spreadsheet uploads (.xlsx or .csv): reading with content checks, keeping the file
server-side between preview and confirmation, and template files.

The upload lives under UPLOAD_DIR/imports with a random name that starts with the
uploader's id, so a token from one user's form cannot open another user's file.
"""

from __future__ import annotations

import csv
import io
import re
import secrets
import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l

from .. import downloads

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
# An .xlsx is a zip: 150 KB can unpack to hundreds of MB (a "decompression bomb"). The
# members' declared sizes are checked before openpyxl opens anything (zipfile never
# unpacks more than a member declares); 5,000 full rows need far less than this.
MAX_UNPACKED_BYTES = 40 * 1024 * 1024
MAX_COLUMNS = 64
# Blank rows are skipped but still read: a row numbered 1048576 makes openpyxl yield a
# million blank rows before it.
MAX_READ_ROWS = 4 * MAX_ROWS
TOKEN = re.compile(r"^[0-9]+-[A-Za-z0-9_-]{20,64}\.(xlsx|csv)$")


class SheetError(ValueError):
    """The file as a whole is refused (translatable message in args[0])."""


def _kind(filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if ext not in ("xlsx", "csv"):
        raise SheetError(_l("Upload an .xlsx or .csv file."))
    return ext


def check(filename: str, data: bytes) -> str:
    """The file's kind after checking that its content is what its name says."""
    ext = _kind(filename)
    if len(data) > MAX_BYTES:
        raise SheetError(_l("The file is too large (at most 2 MB)."))
    if not data:
        raise SheetError(_l("The file is empty."))
    if ext == "xlsx":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                if "[Content_Types].xml" not in z.namelist():
                    raise SheetError(_l("This file is not an .xlsx workbook."))
                if sum(member.file_size for member in z.infolist()) > MAX_UNPACKED_BYTES:
                    raise SheetError(_l("The workbook unpacks to more than %(mb)d MB: "
                                        "send at most %(n)d rows.",
                                        mb=MAX_UNPACKED_BYTES // (1024 * 1024), n=MAX_ROWS))
        except zipfile.BadZipFile:
            raise SheetError(_l("This file is not an .xlsx workbook.")) from None
    else:
        _decode(data)
    return ext


def _decode(data: bytes) -> str:
    if b"\x00" in data:
        raise SheetError(_l("This file is not a text .csv file."))
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SheetError(_l("This file is not a text .csv file."))


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _xlsx_rows(data: bytes) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    try:
        # Read-only mode parses the sheet as it is read: rows are never all in memory.
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any parse failure means "not a workbook"
        raise SheetError(_l("This file is not an .xlsx workbook.")) from None
    try:
        for row in book.worksheets[0].iter_rows(max_col=MAX_COLUMNS, values_only=True):
            yield [_cell(v) for v in row]
    finally:
        book.close()


def rows(ext: str, data: bytes) -> list[list[str]]:
    """All rows as text cells (the header first); blank rows dropped. Reading stops at the
    first row over the limit, however many the file holds."""
    source = _xlsx_rows(data) if ext == "xlsx" else \
        ([c.strip() for c in row] for row in csv.reader(io.StringIO(_decode(data))))
    out: list[list[str]] = []
    for read, row in enumerate(source):
        if not any(row) and read <= MAX_READ_ROWS:
            continue
        if len(out) > MAX_ROWS or read > MAX_READ_ROWS:
            raise SheetError(_l("Too many rows (at most %(n)d).", n=MAX_ROWS))
        out.append(row)
    if not out:
        raise SheetError(_l("The file is empty."))
    return out


def records(table: list[list[str]], columns: dict[str, tuple[str, ...]]) -> list[dict[str, str]]:
    """Rows as {column key: text}; a header may be the key or any of its labels."""
    header = [h.strip().lower() for h in table[0]]
    where: dict[str, int] = {}
    for key, names in columns.items():
        for i, h in enumerate(header):
            if h == key or h in (n.lower() for n in names):
                where[key] = i
    missing = [k for k in columns if k not in where]
    if missing:
        raise SheetError(_l("Columns missing: %(names)s.", names=", ".join(missing)))
    return [{k: (row[i] if i < len(row) else "") for k, i in where.items()} for row in table[1:]]


def _folder() -> Path:
    folder = Path(str(current_app.config["UPLOAD_DIR"])) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def keep(user_id: int, ext: str, data: bytes) -> str:
    token = f"{user_id}-{secrets.token_urlsafe(24)}.{ext}"
    (_folder() / token).write_bytes(data)
    return token


def load(user_id: int, token: str) -> tuple[str, bytes]:
    if not TOKEN.match(token or "") or not token.startswith(f"{user_id}-"):
        raise SheetError(_l("The uploaded file has expired: upload it again."))
    path = _folder() / token
    if not path.exists():
        raise SheetError(_l("The uploaded file has expired: upload it again."))
    return token.rsplit(".", 1)[1], path.read_bytes()


def drop(token: str) -> None:
    if TOKEN.match(token or ""):
        (_folder() / token).unlink(missing_ok=True)


def template(ext: str, header: list[str], example: list[list[object]]) -> bytes:
    """The empty sheet offered for download, written like every other download."""
    if ext == "csv":
        return downloads.csv_bytes(header, example)
    return downloads.xlsx_bytes("import", header, example)
