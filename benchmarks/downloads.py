"""Peak memory of a download: /open-data/villages.csv (and .xlsx) over many villages.

    .venv/bin/python benchmarks/downloads.py [--villages 130000] [--format csv]

Builds a throw-away SQLite database with the reference data and N verified villages
(the programme's 130,000 by default), then sends the download through the app and reads
it chunk by chunk, as a WSGI server does, discarding each chunk. Prints the wall time,
the body's size and the peak of Python's allocations during the request (tracemalloc),
which is what grows with the table when a download is built in memory.

To compare with an older version of the site, run this same file from a checkout of it
(it uses the package next to it): `git archive OLD | tar -x -C /tmp/old`, copy this file
to /tmp/old/benchmarks/ and run it there with this virtualenv's python.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def seed(villages: int) -> None:
    from sqlalchemy import insert, select

    from pairing.extensions import db
    from pairing.places.models import County, Village
    from pairing.places.services import load_reference_data

    load_reference_data()
    db.session.commit()
    counties = db.session.scalars(select(County.code).order_by(County.code)).all()
    batch = []
    for i in range(villages):
        batch.append({"name": f"第{i}村", "county_code": counties[i % len(counties)],
                      "population": 1000 + i % 2000, "households": 300 + i % 500,
                      "poor_households": 60 + i % 90, "poor_population": 200 + i % 300,
                      "income_per_capita": 2500 + i % 3000, "deep_poverty": i % 7 == 0,
                      "status": "verified", "description": "", "verified_at": None})
        if len(batch) == 10_000:
            db.session.execute(insert(Village), batch)
            batch = []
    if batch:
        db.session.execute(insert(Village), batch)
    db.session.commit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--villages", type=int, default=130_000)
    parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    options = parser.parse_args()
    from flask_migrate import upgrade

    from pairing import create_app

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.db",
                          "INSTANCE_DIR": tmp, "UPLOAD_DIR": f"{tmp}/uploads",
                          "SECRET_KEY": "benchmark-key-benchmark-key-benchmark-key",
                          "RATELIMIT_STORAGE_URI": "memory://"})
        with app.app_context():
            upgrade(revision="heads")
            seed(options.villages)
        client = app.test_client()
        client.get(f"/open-data/villages.{options.format}?county=000000").get_data()  # warm
        tracemalloc.start()
        started = time.perf_counter()
        response = client.get(f"/open-data/villages.{options.format}", buffered=False)
        size, chunks = 0, 0
        for chunk in response.response:
            size += len(chunk)
            chunks += 1
        response.close()
        seconds = time.perf_counter() - started
        _now, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    print(f"villages.{options.format}: {options.villages:,} villages, {size / 1e6:.1f} MB "
          f"in {chunks} chunks, {seconds:.1f} s, peak Python allocations "
          f"{peak / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
