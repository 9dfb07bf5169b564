"""The round page follows a running round stage by stage, with the time each took."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

from matching import mhelp as h

import support
from pairing.extensions import db
from pairing.matching import execute, jobs, progress, services
from pairing.matching.models import Round


def test_the_page_shows_each_stage_and_its_time_while_the_round_runs(
        app, make_user, coordinator_client, monkeypatch):
    m = h.market(app, make_user)
    c = coordinator_client
    with app.app_context():
        rid = services.create_round(h.user(m.coordinator), None, {}).id
        db.session.commit()
    inside, wake = threading.Event(), threading.Event()
    real = execute.solver.solve

    def slow(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        inside.set()
        wake.wait(60)
        return real(*args, **kwargs)

    monkeypatch.setattr(execute.solver, "solve", slow)
    app.config["MATCHING_INLINE_MAX"] = 0  # in a worker thread, as a large round
    support.post(c, f"/rounds/{rid}/start")
    try:
        assert inside.wait(60)
        status = c.get(f"/rounds/{rid}/status").get_json()
        assert [s["label"] for s in status["stages"]] == ["排队中", "读取承诺与需求", "优化计算中"]
        assert [s["current"] for s in status["stages"]] == [False, False, True]
        assert all(s["time"].endswith("秒") for s in status["stages"]) and status["elapsed"]
        html = c.get(f"/rounds/{rid}").get_data(as_text=True)
        assert 'id="round-stages"' in html and "优化计算中" in html and "开始至今" in html
    finally:
        wake.set()
        jobs.THREADS.pop(rid).join(60)
    status = c.get(f"/rounds/{rid}/status").get_json()
    assert status["status"] == "done"
    assert [s["label"] for s in status["stages"]] == [
        "排队中", "读取承诺与需求", "优化计算中", "计算贪心基线", "写入推荐"]
    assert not any(s["current"] for s in status["stages"])


def test_stage_times_come_from_the_log():
    start = datetime(2026, 12, 1, 8, 0, 0)
    rnd = Round(status="running", stage_log=[
        ["queued", start.isoformat()], ["preparing", (start + timedelta(seconds=2)).isoformat()],
        ["solving", (start + timedelta(seconds=65)).isoformat()]])
    got = progress.stages(rnd, now=start + timedelta(seconds=3725))
    assert [(s.stage, s.seconds, s.current) for s in got] == [
        ("queued", 2.0, False), ("preparing", 63.0, False), ("solving", 3660.0, True)]
    rnd.status, rnd.finished_at = "done", start + timedelta(seconds=70)
    rnd.stage_log = [*rnd.stage_log, ["done", rnd.finished_at.isoformat()]]
    assert progress.stages(rnd)[-1].seconds == 5.0


def test_durations_read_as_a_person_would(app):
    with app.test_request_context():
        assert [progress.duration(x) for x in (12, 185, 3725)] == ["12 秒", "3 分 05 秒", "1 小时 02 分"]


def test_the_second_coordinator_is_told_another_round_runs(app, make_user, coordinator_client):
    m = h.market(app, make_user)
    with app.app_context():
        first = services.create_round(h.user(m.coordinator), None, {})
        second = services.create_round(h.user(m.coordinator), "43", {})
        services.start_round(h.user(m.coordinator), first)
        ids = first.id, second.id
        db.session.commit()
    r = support.post(coordinator_client, f"/rounds/{ids[1]}/start", follow_redirects=True)
    assert r.status_code == 200 and "另一轮匹配正在运行：请等它结束。" in r.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Round, ids[1]).status == "draft"
