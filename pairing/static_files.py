"""Slow links: fingerprinted static URLs cached for a year, and gzip for text responses.

Every `url_for('static', filename=...)` gets `?v=<hash of the file's content>`: a request
carrying the current hash may be cached for a year (`immutable`), because a changed file
gets a new URL. A request without it (or with an old hash) is revalidated as before.

Text answers (HTML, CSS, JavaScript, JSON, SVG) are gzipped when the browser accepts it,
with `Vary: Accept-Encoding`. Brotli would need a library the project does not carry;
gzip alone gives most of the gain on text. Never compressed: streamed answers (CSV and
XLSX downloads must keep streaming, not be buffered into memory), answers that already
have a Content-Encoding, partial (Range) answers and small bodies.

Compressed pages that hold a secret beside text an attacker can reflect are what BREACH
guesses at by sending many requests with the victim's cookies. SameSite=Lax keeps the
cookies off other sites' subrequests but not off top-level navigations, so the secret
every page holds, the CSRF token, is written masked and different in every answer
(pairing/csrf_mask.py).
"""

from __future__ import annotations

import gzip
import hashlib
from functools import lru_cache
from pathlib import Path

from flask import Flask, Response, current_app, request

YEAR = 31_536_000
MIN_BYTES = 500  # below this the gzip header costs more than it saves
COMPRESSIBLE = frozenset({"text/html", "text/css", "text/javascript", "application/javascript",
                          "application/json", "image/svg+xml", "text/plain", "text/csv"})


@lru_cache(maxsize=512)
def _digest(path: str, mtime_ns: int, size: int) -> str:
    # Keyed on mtime and size: an edited file (in development) gets a new hash at once.
    sha = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(65536), b""):
            sha.update(block)
    return sha.hexdigest()[:12]


def fingerprint(filename: str) -> str | None:
    """The short content hash of a file under static/, or None if there is no such file."""
    folder = Path(str(current_app.static_folder)).resolve()
    path = (folder / filename).resolve()
    if folder not in path.parents or not path.is_file():
        return None
    stat = path.stat()
    return _digest(str(path), stat.st_mtime_ns, stat.st_size)


def _add_fingerprint(endpoint: str, values: dict) -> None:
    if endpoint == "static" and "filename" in values and "v" not in values:
        digest = fingerprint(str(values["filename"]))
        if digest:
            values["v"] = digest


@lru_cache(maxsize=64)
def _gzipped(body: bytes) -> bytes:
    # Static files are the same bytes request after request: compressed once per worker.
    return gzip.compress(body, compresslevel=6, mtime=0)


def _may_compress(response: Response) -> bool:
    # A static file comes as a file wrapper (so "streamed") but is small and whole;
    # every other streamed answer is a download that must not be buffered.
    if "Content-Encoding" in response.headers or (
            response.is_streamed and request.endpoint != "static"):
        return False
    if response.status_code != 200 or request.method == "HEAD" or "Range" in request.headers:
        return False
    if response.mimetype not in COMPRESSIBLE:
        return False
    return "gzip" in request.headers.get("Accept-Encoding", "").lower()


def _static_cache(response: Response) -> None:
    filename = (request.view_args or {}).get("filename")
    wanted = request.args.get("v")
    if response.status_code == 200 and wanted and filename and wanted == fingerprint(filename):
        response.cache_control.no_cache = None
        response.cache_control.public = True
        response.cache_control.max_age = YEAR
        response.cache_control.immutable = True


def compress(response: Response) -> Response:
    if request.endpoint == "static":
        _static_cache(response)
    if response.mimetype in COMPRESSIBLE:
        response.vary.add("Accept-Encoding")
    if not _may_compress(response):
        return response
    # A static file is sent through a file wrapper; reading it here is fine (CSS/JS are
    # small) and leaves the streamed downloads, excluded above, untouched.
    response.direct_passthrough = False
    body = response.get_data()
    if len(body) < MIN_BYTES:
        return response
    packed = _gzipped(body) if request.endpoint == "static" else gzip.compress(
        body, compresslevel=6, mtime=0)
    response.set_data(packed)
    response.headers["Content-Encoding"] = "gzip"
    etag, weak = response.get_etag()
    if etag:  # the compressed bytes are another representation than the plain ones
        response.set_etag(etag + "-gz", weak)
    return response


def init_app(app: Flask) -> None:
    app.url_defaults(_add_fingerprint)
    # Registered before every other after_request hook, so it runs last: it compresses
    # the finished body, headers of the other hooks included.
    app.after_request(compress)
    # Pages carry the CSRF token: written masked, differently in every answer (BREACH).
    from . import csrf_mask

    csrf_mask.init_app(app)
