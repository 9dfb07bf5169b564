"""Outgoing e-mail, through the job queue.

`send` hands a finished message (already written in the recipient's language, its links
absolute from PUBLIC_URL, see `link`) to RQ when REDIS_URL is set, with a bounded number of
retries; without Redis a background thread tries the same number of times, so a slow or
failing SMTP server never holds up the answer. Tests (TESTING, or PAIRING_ENV=testing)
send inline.

Without SMTP_HOST nothing is sent: the log says that a mail was suppressed, to whom and
its subject, never its body (a reset link in a log is a password in a log). Only tests
keep suppressed mails, in `app.extensions["sent_mail"]`; in development they are written
to INSTANCE_DIR/mail/*.eml for the person trying the site; production keeps nothing.
"""

from __future__ import annotations

import smtplib
import threading
import time
import uuid
from email.message import EmailMessage
from pathlib import Path

from flask import Flask, current_app

OUTBOX = "sent_mail"
# Seconds between attempts (RQ and the thread alike): a short outage is ridden out, a
# long one ends with the failure in the log.
BACKOFF = (10, 60, 300)


def link(path: str) -> str:
    """An absolute link for a mail: PUBLIC_URL + path, never the request's Host header."""
    return current_app.config["PUBLIC_URL"] + path


def _testing(app: Flask) -> bool:
    return bool(app.testing or app.config.get("ENV_NAME") == "testing")


def _message(app: Flask, to: str, subject: str, body: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = app.config["MAIL_FROM"]
    msg["To"] = to
    msg["Subject"] = subject
    msg.set_content(body)
    return msg


def _pick_up(app: Flask, msg: EmailMessage) -> None:
    """Development only: the mail as a file under INSTANCE_DIR/mail, so that a person
    trying `make run` can open a registration or reset link (never logged, never kept in
    production)."""
    folder = Path(str(app.config["INSTANCE_DIR"])) / "mail"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:8]}.eml"
    path.write_bytes(bytes(msg))
    app.logger.warning("development: the suppressed e-mail is in %s", path)


def deliver(app: Flask, to: str, subject: str, body: str) -> None:
    """One attempt; raises when the SMTP server refuses or cannot be reached."""
    cfg = app.config
    msg = _message(app, to, subject, body)
    if not cfg["SMTP_HOST"]:
        app.logger.warning("e-mail to %s suppressed (no SMTP_HOST set): %s", to, subject)
        if _testing(app):
            app.extensions.setdefault(OUTBOX, []).append(msg)
        elif cfg.get("ENV_NAME") == "development":
            _pick_up(app, msg)
        return
    with smtplib.SMTP(cfg["SMTP_HOST"], cfg["SMTP_PORT"], timeout=20) as smtp:
        if cfg["SMTP_STARTTLS"]:
            smtp.starttls()
        if cfg["SMTP_USER"]:
            smtp.login(cfg["SMTP_USER"], cfg["SMTP_PASSWORD"])
        smtp.send_message(msg)


def _retries(app: Flask) -> int:
    return max(0, int(app.config.get("MAIL_RETRIES", 3)))


def _backoff(app: Flask) -> list[int]:
    configured = str(app.config.get("MAIL_RETRY_SECONDS") or "")
    return [int(x) for x in configured.split(",") if x.strip()] or list(BACKOFF)


def _with_retries(app: Flask, to: str, subject: str, body: str, pause: float) -> None:
    attempts = _retries(app) + 1
    for attempt in range(attempts):
        try:
            deliver(app, to, subject, body)
            return
        except (OSError, smtplib.SMTPException):
            if attempt + 1 == attempts:
                app.logger.exception("e-mail to %s failed %d times: %s", to, attempts, subject)
                return
            waits = _backoff(app)
            time.sleep(pause * waits[min(attempt, len(waits) - 1)])


def send(to: str, subject: str, body: str) -> str:
    """Queue one mail; returns how: "rq", "thread" or "inline" (tests)."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    if app.config.get("REDIS_URL"):
        from redis import Redis
        from rq import Queue, Retry

        retries = _retries(app)
        queue = Queue(app.config.get("MAIL_RQ_QUEUE") or "pairing",
                      connection=Redis.from_url(app.config["REDIS_URL"]))
        queue.enqueue("pairing.mail.deliver_rq", to, subject, body, job_timeout=120,
                      retry=Retry(max=retries, interval=_backoff(app)) if retries else None)
        return "rq"
    if _testing(app):
        _with_retries(app, to, subject, body, pause=float(app.config.get("MAIL_PAUSE", 0)))
        return "inline"
    threading.Thread(target=_with_retries, args=(app, to, subject, body, 1.0), daemon=True,
                     name="mail").start()
    return "thread"


def deliver_rq(to: str, subject: str, body: str) -> None:
    """The RQ job (`rq worker pairing`): its own app from the environment; an exception
    makes RQ try again later, up to MAIL_RETRIES times."""
    from . import create_app

    deliver(create_app(), to, subject, body)
