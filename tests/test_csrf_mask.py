"""BREACH (pairing/csrf_mask.py): gzipped pages carry the CSRF token masked afresh in every
answer and at every place it is written; each copy is accepted, a tampered one is not."""

from __future__ import annotations

import gzip
import re

import support
from pairing import csrf_mask
from pairing.notices.models import NoticeSetting

TOKENS = re.compile(r'(?:name="csrf_token"[^>]*value|name="csrf-token" content)="([^"]+)"')


def _page_tokens(client, path: str = "/account/notices") -> tuple[list[str], bytes]:  # noqa: ANN001
    r = client.get(path, headers={"Accept-Encoding": "gzip"})
    assert r.status_code == 200 and r.headers.get("Content-Encoding") == "gzip"
    html = gzip.decompress(r.get_data()).decode()
    return TOKENS.findall(html), r.get_data()


def test_two_answers_of_a_page_carry_different_token_bytes_all_accepted(app, donor_client):
    first, _zipped = _page_tokens(donor_client)
    second, _zipped = _page_tokens(donor_client)
    tokens = first + second
    assert len(first) >= 2  # the page's meta tag and its forms
    assert len(set(tokens)) == len(tokens)  # no two copies share their bytes
    assert all(t.startswith(csrf_mask.MARK) for t in tokens)
    assert len({csrf_mask.unmask(t) for t in tokens}) == 1  # one token underneath
    for token in (first[0], second[-1]):
        r = donor_client.post("/account/notices", data={"csrf_token": token, "inbox": []})
        assert r.status_code == 302, r.status_code
    # The header that scripts send is unmasked the same way.
    r = donor_client.post("/account/notices", data={}, headers={"X-CSRFToken": first[1]})
    assert r.status_code == 302


def test_a_tampered_or_foreign_token_is_refused(app, donor_client):
    tokens, _zipped = _page_tokens(donor_client)
    with app.app_context():
        before = NoticeSetting.query.count()
    token = tokens[0]
    flipped = token[:-3] + ("A" if token[-3] != "A" else "B") + token[-2:]
    for bad in (flipped, csrf_mask.MARK + "!!", csrf_mask.MARK, "~" + "A" * 40):
        r = donor_client.post("/account/notices", data={"csrf_token": bad, "mail": ["x"]})
        assert r.status_code == 400, bad
    other = app.test_client()
    other_token = support.csrf_token(other)  # another visitor's token: not this session's
    r = donor_client.post("/account/notices", data={"csrf_token": other_token})
    assert r.status_code == 400
    with app.app_context():
        assert NoticeSetting.query.count() == before


def test_mask_round_trip():
    token = "ImFiYyI.Z1Nk7A.sig-_"
    masked = {csrf_mask.mask(token) for _ in range(20)}
    assert len(masked) == 20 and {csrf_mask.unmask(m) for m in masked} == {token}
    assert csrf_mask.unmask(token) == token  # an unmasked token passes through unchanged
