"""Slow links: fingerprinted static files are cached for a year, text answers are gzipped,
downloads still stream."""

from __future__ import annotations

import gzip
import re

from flask import url_for


def _css_url(client) -> str:  # noqa: ANN001
    html = client.get("/").get_data(as_text=True)
    found = re.search(r'href="(/static/css/site\.css\?v=[0-9a-f]{12})"', html)
    assert found, "the page links the stylesheet with its content hash"
    return found.group(1)


def test_fingerprinted_static_file_is_cached_for_a_year(client):
    response = client.get(_css_url(client))
    assert response.status_code == 200
    cache = response.headers["Cache-Control"]
    assert "max-age=31536000" in cache and "immutable" in cache and "public" in cache
    assert "no-cache" not in cache


def test_unfingerprinted_or_stale_hash_is_revalidated(client):
    for url in ("/static/css/site.css", "/static/css/site.css?v=000000000000"):
        cache = client.get(url).headers.get("Cache-Control", "")
        assert "immutable" not in cache and "max-age=31536000" not in cache, url


def test_hash_follows_the_content(app, tmp_path):
    from pairing import static_files

    with app.test_request_context():
        first = url_for("static", filename="css/site.css")
        assert first == f"/static/css/site.css?v={static_files.fingerprint('css/site.css')}"
        assert url_for("static", filename="no/such.css") == "/static/no/such.css"
        assert static_files.fingerprint("../pairing/config.py") is None


def test_html_and_css_are_gzipped_when_accepted(client):
    plain = client.get("/")
    assert "Content-Encoding" not in plain.headers
    assert "Accept-Encoding" in plain.headers.get("Vary", "")
    packed = client.get("/", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    html = gzip.decompress(packed.get_data()).decode()
    # The same page but for the CSRF token, masked afresh in every answer (csrf_mask.py).
    masked = re.compile(r"~[A-Za-z0-9_-]+")
    assert masked.sub("~", html) == masked.sub("~", plain.get_data(as_text=True))
    assert len(packed.get_data()) < len(plain.get_data()) / 2
    css = client.get(_css_url(client), headers={"Accept-Encoding": "gzip"})
    assert css.headers["Content-Encoding"] == "gzip"
    assert b"{" in gzip.decompress(css.get_data())


def test_images_and_streamed_downloads_are_not_compressed(client):
    icon = client.get("/static/img/favicon.svg", headers={"Accept-Encoding": "gzip"})
    assert icon.status_code == 200
    with client.application.test_request_context():
        url = url_for("stats.download", name="villages", fmt="csv")
    download = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert download.status_code == 200
    assert download.is_streamed
    assert "Content-Encoding" not in download.headers
