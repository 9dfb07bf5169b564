"""A tiny SMTP server for tests: accepts mail on a free local port and keeps what it got.
It can answer the first N messages with a transient failure (451), as a busy relay does."""

from __future__ import annotations

import socketserver
import threading
from email import message_from_bytes, policy
from email.message import EmailMessage


class _Handler(socketserver.StreamRequestHandler):
    server: SmtpSink

    def _say(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        self._say("220 sink ESMTP")
        while line := self.rfile.readline():
            verb = line.decode(errors="replace").strip().upper()
            if verb.startswith(("EHLO", "HELO")):
                self._say("250 sink")
            elif verb.startswith(("MAIL", "RCPT", "RSET", "NOOP")):
                self._say("250 OK")
            elif verb == "DATA":
                self._say("354 end with .")
                data = b""
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data += chunk[1:] if chunk.startswith(b"..") else chunk
                self._say(self.server.receive(data))
            elif verb == "QUIT":
                self._say("221 bye")
                return
            else:
                self._say("502 not here")


class SmtpSink(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, fail_first: int = 0) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.fail_first = fail_first
        self.attempts = 0
        self.messages: list[EmailMessage] = []
        self._lock = threading.Lock()
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def port(self) -> int:
        return self.server_address[1]

    def receive(self, data: bytes) -> str:
        with self._lock:
            self.attempts += 1
            if self.attempts <= self.fail_first:
                return "451 try again later"
            self.messages.append(message_from_bytes(data, policy=policy.default))  # type: ignore[arg-type]
            return "250 queued"

    def close(self) -> None:
        self.shutdown()
        self.server_close()
