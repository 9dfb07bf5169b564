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

import support

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
        self.get_forms: list[Form] = []
        self._get_form: Form | None = None
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
            else:  # a GET form is a link with its fields as the query
                self._form = None
                self.get_forms.append(Form(urljoin(self.base, a.get("action") or self.base),
                                           False))
                self._get_form = self.get_forms[-1]
        elif tag == "input" and self._form is None and self._get_form is not None \
                and a.get("name") and a.get("type", "text").lower() not in ("submit", "button"):
            self._get_form.fields.setdefault(a["name"], a.get("value", ""))
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
            self._form = self._get_form = None

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
        self._csrf: str | None = None

    def csrf_token(self) -> str:
        """The session's CSRF token, read once from the home page (it stays valid)."""
        if self._csrf is None:
            self._csrf = support.csrf_token(self.client)
        return self._csrf

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

    def crawl(self, starts: list[str], limit: int, per_endpoint: int = 3) -> None:
        """Breadth first from `starts`: up to `per_endpoint` URLs of each endpoint (objects
        in different states show different forms), `limit` URLs in all."""
        queue = list(starts)
        seen_urls: set[str] = set()
        visits: dict[str, int] = {}
        while queue and len(seen_urls) < limit:
            url = queue.pop(0)
            endpoint = self.endpoint(url)
            if endpoint is None or url in seen_urls or visits.get(endpoint, 0) >= per_endpoint:
                continue
            seen_urls.add(url)
            visits[endpoint] = visits.get(endpoint, 0) + 1
            response = self.get(url, "crawl")
            if response.status_code >= 400:
                continue
            self.pages.setdefault(endpoint, url)  # a download or a redirect is reached too
            if response.status_code != 200 or "html" not in response.content_type:
                continue
            self.query_names.update(k for k, _ in parse_qsl(urlsplit(url).query))
            parser = PageParser(url)
            parser.feed(response.get_data(as_text=True))
            for form in parser.forms:
                action = self.endpoint(form.action, "POST")
                if action is not None and action not in self.forms:
                    self.forms[action] = form
            queue.extend(link.split("#")[0] for link in parser.links)
            queue.extend(f"{urlsplit(f.action).path}?{urlencode(list(f.fields.items()))}"
                         for f in parser.get_forms)

    def probe_forms(self, endpoint: str, form: Form, values: list[str],
                    everywhere: list[str]) -> None:
        """Every field at once with each value, then each field alone with each of `values`
        (`everywhere` holds values the site refuses as a whole, before any field is read). A
        form without fields gets the bad values in its CSRF token, so that it is reached
        without acting."""
        names = [n for n in form.fields if n != "csrf_token"] or ["csrf_token"]
        for value in [*values, *everywhere]:
            self._send(form, dict.fromkeys(names, value), f"{endpoint}: every field")
        if len(names) > 1:
            for name in names:
                for value in values:
                    self._send(form, {name: value}, f"{endpoint}: {name}")

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
