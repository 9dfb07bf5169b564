"""The bad-input sweep's machinery: crawl the site as a role, read its forms, send bad
values (tests/test_bad_input.py says which)."""

from __future__ import annotations

import io
import os
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.exceptions import HTTPException

SKIP_PATH = re.compile(r"^/(static|logout|account/logout-everywhere|account/password)\b")


@dataclass
class Form:
    action: str
    multipart: bool
    fields: dict[str, str] = field(default_factory=dict)  # name -> the page's value
    files: list[str] = field(default_factory=list)


class PageParser(HTMLParser):
    """Links and POST forms of a page, with each field's value as the page shows it."""

    def __init__(self, base: str) -> None:
        super().__init__()
        self.base = base
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(urljoin(self.base, a["href"]))
        elif tag == "form":
            if a.get("method", "get").lower() == "post":
                self._form = Form(urljoin(self.base, a.get("action") or self.base),
                                  "multipart" in a.get("enctype", ""))
                self.forms.append(self._form)
            else:
                self._form = None
        elif self._form is None or not a.get("name"):
            return
        elif tag == "input":
            kind = a.get("type", "text").lower()
            if kind == "file":
                self._form.files.append(a["name"])
            elif kind in ("checkbox", "radio"):
                if "checked" in a or a["name"] not in self._form.fields:
                    self._form.fields[a["name"]] = a.get("value", "on")
            elif kind not in ("submit", "button", "image", "reset"):
                self._form.fields[a["name"]] = a.get("value", "")
        elif tag == "select":
            self._select = a["name"]
            self._form.fields.setdefault(a["name"], "")
        elif tag == "option" and self._select:
            if "selected" in a or not self._form.fields.get(self._select):
                self._form.fields[self._select] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = a["name"]
            self._form.fields[a["name"]] = ""
        elif tag == "button" and a.get("value"):
            self._form.fields.setdefault(a["name"], a["value"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._form = None

    def handle_data(self, data: str) -> None:
        if self._form is not None and self._textarea:
            self._form.fields[self._textarea] += data


def encode(pairs: list[tuple[str, str]]) -> bytes:
    """application/x-www-form-urlencoded, lone surrogates written as their UTF-8 bytes
    (as a client that does not check would send them)."""
    return urlencode([(k.encode("utf-8", "surrogatepass"), v.encode("utf-8", "surrogatepass"))
                      for k, v in pairs]).encode()


class Sweep:
    """One role's crawl and probes; failures collect every 5xx with what caused it."""

    def __init__(self, app: Flask, client: FlaskClient, role: str) -> None:
        self.app, self.client, self.role = app, client, role
        self.adapter = app.url_map.bind("localhost")
        self.pages: dict[str, str] = {}  # endpoint -> one URL of it that answered 200
        self.forms: dict[str, Form] = {}  # form action's endpoint -> the first such form
        self.query_names: set[str] = set()
        self.failures: list[str] = []
        self.requests = 0

    def endpoint(self, url: str, method: str = "GET") -> str | None:
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost") or SKIP_PATH.match(parts.path):
            return None
        try:
            endpoint, _args = self.adapter.match(parts.path, method=method)
        except HTTPException:
            return None
        return endpoint if endpoint != "static" else None

    def get(self, url: str, what: str) -> Any:
        self.requests += 1
        response = self.client.get(url)
        response.get_data()  # a streamed download is read whole
        self.check(response, f"GET {url} ({what})")
        return response

    def post(self, url: str, body: Any, what: str, **kwargs: Any) -> Any:
        self.requests += 1
        response = self.client.post(url, data=body, **kwargs)
        self.check(response, f"POST {url} ({what})")
        return response

    def check(self, response: Any, what: str) -> None:
        if response.status_code >= 500:
            self.failures.append(f"{self.role}: {response.status_code} on {what[:300]}")
            if os.environ.get("SWEEP_LOG"):
                with open(os.environ["SWEEP_LOG"], "a", encoding="utf-8") as log:
                    print(self.failures[-1], file=log)

    def crawl(self, starts: list[str], limit: int) -> None:
        queue = list(starts)
        seen_urls: set[str] = set()
        while queue and len(seen_urls) < limit:
            url = queue.pop(0)
            endpoint = self.endpoint(url)
            if endpoint is None or url in seen_urls:
                continue
            if endpoint in self.pages and self.pages[endpoint] != url:
                continue  # one URL per endpoint is enough to reach its forms and arguments
            seen_urls.add(url)
            response = self.get(url, "crawl")
            if response.status_code != 200 or "html" not in response.content_type:
                continue
            self.pages[endpoint] = url
            self.query_names.update(k for k, _ in parse_qsl(urlsplit(url).query))
            parser = PageParser(url)
            parser.feed(response.get_data(as_text=True))
            for form in parser.forms:
                action = self.endpoint(form.action, "POST")
                if action is not None and action not in self.forms:
                    self.forms[action] = form
            queue.extend(link.split("#")[0] for link in parser.links)

    def probe_queries(self, names: set[str], values: list[str]) -> None:
        for endpoint, url in sorted(self.pages.items()):
            path = urlsplit(url).path
            for value in values:
                query = encode([(n, value) for n in sorted(names)])
                self.get(f"{path}?{query.decode()}", f"{endpoint}, every argument = {value[:8]!r}")

    def probe_long_queries(self, names: set[str], value: str, done: set[str]) -> set[str]:
        """Every argument 100 kB long, once per endpoint whichever role reaches it (each
        such address is megabytes long)."""
        for endpoint, url in sorted(self.pages.items()):
            if endpoint not in done:
                done.add(endpoint)
                query = encode([(n, value) for n in sorted(names)])
                self.get(f"{urlsplit(url).path}?{query.decode()}", f"{endpoint}, 100 kB each")
        return done

    def probe_forms(self, values: list[str], everywhere: list[str]) -> None:
        """Each field alone with each of `values`; every field at once with each of
        `everywhere` (values the site refuses as a whole, before any field is read)."""
        for endpoint, form in sorted(self.forms.items()):
            names = [n for n in form.fields if n != "csrf_token"]
            for name in names:
                for value in values:
                    self._send(form, {name: value}, f"{endpoint}: {name}")
            for value in everywhere:
                self._send(form, dict.fromkeys(names, value), f"{endpoint}: every field")

    def _send(self, form: Form, changed: dict[str, str], what: str) -> None:
        fields = {**form.fields, **changed}
        path = urlsplit(form.action).path + (
            "?" + urlsplit(form.action).query if urlsplit(form.action).query else "")
        if form.multipart:
            data: dict[str, Any] = {k: v.encode("utf-8", "surrogatepass").decode(
                "utf-8", "replace") for k, v in fields.items()}
            for name in form.files:
                data[name] = (io.BytesIO(b"%PDF-1.4\n" + b"x" * 100), "evidence.pdf")
            self.post(path, data, what, content_type="multipart/form-data")
        else:
            self.post(path, encode(list(fields.items())), what,
                      content_type="application/x-www-form-urlencoded")
