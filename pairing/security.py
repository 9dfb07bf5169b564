"""Small security helpers shared by every area."""

from __future__ import annotations

from urllib.parse import urlsplit


def safe_next(target: str | None, default: str = "/") -> str:
    """A local path to go to after log-in, never another site.

    Browsers read `//evil`, `/\\evil` and `\\\\evil` as other hosts and strip tabs and
    newlines inside URLs, so anything but a plain absolute path is refused.
    """
    if not target:
        return default
    if any(ord(c) < 32 or c == "\\" for c in target):
        return default
    if not target.startswith("/") or target.startswith("//"):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target
