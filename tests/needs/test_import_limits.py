"""Spreadsheet bombs: a small .xlsx that unpacks to a huge sheet is refused before it is
read, and a sheet with too many rows is read only up to the limit."""

from __future__ import annotations

import io
import re
import time
import zipfile

import pytest
from needs.test_import import HEAD, _count, _upload, _xlsx
from openpyxl import load_workbook

from pairing.needs import sheets
from pairing.places.models import Village

ROW = ('<row><c t="inlineStr"><is><t>433124</t></is></c><c t="inlineStr"><is><t>排碧村</t>'
       '</is></c>' + "<c><v>1200</v></c>" * 5 + '<c t="inlineStr"><is><t>jobs</t></is></c>'
       '<c><v>40</v></c><c><v>2</v></c><c t="inlineStr"><is><t>C</t></is></c>'
       '<c t="inlineStr"><is><t>务工岗位</t></is></c></row>')


def _with_sheet(rows_xml: str) -> bytes:
    """A real workbook whose first sheet's rows are replaced by rows_xml (rows without
    numbers are allowed, and repeat so well that 200,000 of them zip to ~300 KB)."""
    template = io.BytesIO(_xlsx([]))
    out = io.BytesIO()
    with zipfile.ZipFile(template) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                start, end = text.index("<sheetData>"), text.index("</sheetData>")
                header = "<row>" + "".join(f'<c t="inlineStr"><is><t>{h}</t></is></c>'
                                           for h in HEAD) + "</row>"
                text = text[:start] + "<sheetData>" + header + rows_xml + text[end:]
                text = re.sub(r"<dimension [^>]*>", "", text)  # it would say 1 row
                data = text.encode()
            dst.writestr(item.filename, data)
    return out.getvalue()


@pytest.mark.parametrize("url", ["/villages/import", "/offers/import"])
def test_a_small_workbook_of_200000_rows_is_refused_at_once(app, make_user, url):
    """The outside probe's bomb: ~300 KB, 200,000 rows, unpacks to ~300 MB."""
    import support

    role = "secretary" if url.startswith("/villages") else "enterprise"
    client = app.test_client()
    support.login(client, make_user(role).email)
    bomb = _with_sheet(ROW * 200_000)
    assert len(bomb) < 400_000
    started = time.monotonic()
    page = _upload(client, url, bomb, "bomb.xlsx").get_data(as_text=True)
    assert time.monotonic() - started < 5
    assert "The workbook unpacks to more than 40 MB: send at most 5000 rows." in page
    assert _count(app, Village) == 0


def test_one_huge_cell_is_refused_before_it_is_read(app, secretary_client):
    """The unpacked size is checked on the zip's directory, before openpyxl opens it."""
    bomb = _with_sheet(ROW.replace("务工岗位", "岗" * (15 * 1024 * 1024)))
    assert len(bomb) < sheets.MAX_BYTES
    page = _upload(secretary_client, "/villages/import", bomb, "cell.xlsx").get_data(
        as_text=True)
    assert "The workbook unpacks to more than 40 MB" in page


def test_rows_are_read_only_up_to_the_limit(app, secretary_client, monkeypatch):
    """Under the size cap but over the row limit: reading stops at the first row too many
    (it once read every row of the sheet into a list before counting)."""
    wide = ROW.replace("</row>", "<c><v>1</v></c>" * (sheets.MAX_COLUMNS - len(HEAD)) + "</row>")
    workbook = _with_sheet(wide * 8_000)
    with zipfile.ZipFile(io.BytesIO(workbook)) as z:
        assert sum(i.file_size for i in z.infolist()) < sheets.MAX_UNPACKED_BYTES
    cells = [0]
    real = sheets._cell

    def counted(value: object) -> str:
        cells[0] += 1
        return real(value)

    monkeypatch.setattr(sheets, "_cell", counted)
    page = _upload(secretary_client, "/villages/import", workbook, "many.xlsx").get_data(
        as_text=True)
    assert "Too many rows (at most 5000)." in page
    assert cells[0] <= (sheets.MAX_ROWS + 2) * sheets.MAX_COLUMNS  # not 8,000 rows
    assert _count(app, Village) == 0


def test_the_bomb_is_a_real_workbook():
    """What the tests above send is read by openpyxl as rows (so they test the limits,
    not a broken file)."""
    book = load_workbook(io.BytesIO(_with_sheet(ROW * 3)), read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert len(rows) == 4 and rows[1][0] == "433124" and rows[3][-1] == "务工岗位"


def test_a_far_row_number_does_not_make_a_million_blank_rows(app, secretary_client):
    """<row r="1048576"> makes openpyxl yield every blank row before it: blank rows count
    toward a (larger) limit of rows read."""
    far = ROW.replace("<row>", '<row r="1048576">')
    started = time.monotonic()
    page = _upload(secretary_client, "/villages/import", _with_sheet(far), "far.xlsx").get_data(
        as_text=True)
    assert time.monotonic() - started < 5
    assert "Too many rows (at most 5000)." in page
