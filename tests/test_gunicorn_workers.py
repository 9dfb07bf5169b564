"""gunicorn workers: threaded ones are refused on CPython 3.11 with a message saying why and
what to run instead (gunicorn.conf.py) and serve the lists under concurrent load from 3.12;
sync workers serve the public lists under concurrent load
without a crash, an error or a traceback."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from datetime import date

import pytest

from pairing import ROOT
from pairing.enterprises import credit_code
from pairing.enterprises.models import Enterprise, Offer
from pairing.extensions import db
from servers import HttpClient, app_servers, release_together, running, server_errors

pytestmark = pytest.mark.slow
PAGES = ["/offers", "/offers?page=2", "/offers?q=茶", "/enterprises", "/enterprises?sort=name",
         "/needs", "/villages"]


def _offers(app, count: int = 45) -> None:
    with app.app_context():
        for i in range(count):
            enterprise = Enterprise(name=f"茶业公司{i}", county_code="330106", sector="C",
                                    credit_code=credit_code.make("91", "330106", f"{i:09d}"),
                                    status="verified")
            db.session.add(enterprise)
            db.session.flush()
            db.session.add(Offer(enterprise_id=enterprise.id, kind="procurement",
                                 quantity=100_000 + i, starts_on=date(2026, 1, 1),
                                 description="收购茶叶"))
        db.session.commit()


def _conf():
    spec = importlib.util.spec_from_file_location("gunicorn_conf", ROOT / "gunicorn.conf.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_threads_are_refused_on_python_3_11_only(monkeypatch):
    conf = _conf()
    monkeypatch.delenv("PAIRING_ALLOW_THREADS", raising=False)
    assert conf.threads_refused(4, "gthread", (3, 11))
    assert conf.threads_refused(2, "sync", (3, 11))
    assert not conf.threads_refused(1, "sync", (3, 11))
    assert not conf.threads_refused(4, "gthread", (3, 12))
    assert not conf.threads_refused(4, "gthread", (3, 13))


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="threads are allowed from 3.12")
def test_threaded_workers_are_refused_on_3_11_with_the_reason(app, database, tmp_path):
    with pytest.raises(RuntimeError) as refused, \
            app_servers(database, tmp_path, workers=1, threads=4, worker_class="gthread",
                        timeout_s=30, env={"PAIRING_ALLOW_THREADS": "0"}):
        pass
    assert "threaded gunicorn workers" in str(refused.value)
    assert "run sync workers instead" in str(refused.value)


@pytest.mark.skipif(sys.version_info < (3, 12), reason="refused on CPython 3.11 (segfaults)")
def test_threaded_workers_serve_the_lists_under_concurrent_load(app, database, tmp_path):
    _offers(app)
    with app_servers(database, tmp_path, workers=2, threads=4,
                     worker_class="gthread") as (server,):
        for _round in range(6):  # bounded: 6 rounds of 24 requests released together
            answers = release_together(24, lambda i: HttpClient(server.url).get(
                PAGES[i % len(PAGES)]))
            assert server_errors(answers) == []
            assert {a.status_code for a in answers} == {200}
        running(server)


def test_sync_workers_serve_the_lists_under_concurrent_load(app, database, tmp_path):
    _offers(app)
    with app_servers(database, tmp_path, workers=2) as (server,):
        for _round in range(3):  # bounded: 3 rounds of 16 requests released together
            answers = release_together(16, lambda i: HttpClient(server.url).get(
                PAGES[i % len(PAGES)]))
            assert server_errors(answers) == []
            assert {a.status_code for a in answers} == {200}
        running(server)


def test_a_worker_freezes_the_applications_objects_out_of_the_collector():
    """After loading the application a worker freezes what it made (gunicorn.conf.py's
    post_worker_init), so a full collection does not walk it. In a process of its own: a
    frozen heap stays frozen."""
    code = ("import gc, importlib.util; from pairing import create_app; create_app(); "
            "spec = importlib.util.spec_from_file_location('c', 'gunicorn.conf.py'); "
            "m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m); "
            "before = gc.get_freeze_count(); m.post_worker_init(None); "
            "print(gc.get_freeze_count() - before)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         timeout=120, env={**os.environ, "DATABASE_URL": "sqlite://"})
    assert out.returncode == 0, out.stderr[-2000:]
    assert int(out.stdout.split()[-1]) > 50_000
