"""A secretary's evidence larger than the limit is refused with a message in the reader's
language, and nothing is stored (the upload read through pairing.uploads)."""

from __future__ import annotations

import io

from giving_helpers import PDF
from giving_helpers import world as make_world
from sqlalchemy import func, select

import support
from pairing.extensions import db
from pairing.giving.models import GivingFile

MB = 1024 * 1024


def _files(app) -> int:  # noqa: ANN001
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(GivingFile)) or 0


def test_evidence_over_the_limit_is_refused_and_a_small_file_kept(app, make_user):
    w = make_world(app, make_user, state="draft")
    app.config["GIVING_MAX_FILE_BYTES"] = MB
    sec = app.test_client()
    support.login(sec, w.secretary.email)
    url = f"/giving/requests/{w.request_id}/evidence"
    for language, said in (("en", "The file is larger than 1 MB."), ("zh", "文件超过 1 MB")):
        big = io.BytesIO(PDF + b"0" * MB)
        page = support.post(sec, url, {"file": (big, "big.pdf")},
                            content_type="multipart/form-data", follow_redirects=True,
                            headers={"Accept-Language": language})
        assert said in page.get_data(as_text=True)
    assert _files(app) == 0
    support.post(sec, url, {"file": (io.BytesIO(PDF), "notice.pdf")},
                 content_type="multipart/form-data")
    assert _files(app) == 1
