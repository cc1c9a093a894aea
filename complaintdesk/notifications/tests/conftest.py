"""A local stand-in for robots and webhook receivers (127.0.0.1, a free port): it records every
request, answers from a script, and checks signatures the way a receiver would. No test reaches
the internet."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import urllib.parse
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

OK_ROBOT = (200, b'{"errcode":0,"errmsg":"ok"}')


@dataclass
class Received:
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes

    @property
    def json(self):
        return json.loads(self.body)


@dataclass
class RobotServer:
    port: int = 0
    requests: list[Received] = field(default_factory=list)
    script: deque = field(default_factory=deque)  # (status, body) answers, then `default`
    default: tuple[int, bytes] = OK_ROBOT
    # When set, requests are checked like a real receiver would and refused when wrong.
    hmac_secret: str = ""
    dingtalk_secret: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def answer(self, received: Received) -> tuple[int, bytes]:
        if self.hmac_secret:
            expected = (
                "sha256="
                + hmac.new(self.hmac_secret.encode(), received.body, hashlib.sha256).hexdigest()
            )
            given = received.headers.get("x-complaintdesk-signature", "")
            if not hmac.compare_digest(expected, given):
                return 401, b"bad signature"
        if self.dingtalk_secret:
            # DingTalk's check: sign == base64(HMAC-SHA256(secret, "timestamp\nsecret")).
            timestamp = received.query.get("timestamp", "")
            to_sign = f"{timestamp}\n{self.dingtalk_secret}".encode()
            expected = base64.b64encode(
                hmac.new(self.dingtalk_secret.encode(), to_sign, hashlib.sha256).digest()
            ).decode()
            if not timestamp or received.query.get("sign") != expected:
                return 200, b'{"errcode":310000,"errmsg":"sign not match"}'
        with self.lock:
            return self.script.popleft() if self.script else self.default


def _handler(server: RobotServer):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's naming
            length = int(self.headers.get("Content-Length", 0))
            parts = urllib.parse.urlsplit(self.path)
            received = Received(
                path=parts.path,
                # parse_qsl decodes the URL-encoding once, as a receiver's framework would.
                query=dict(urllib.parse.parse_qsl(parts.query)),
                headers={k.lower(): v for k, v in self.headers.items()},
                body=self.rfile.read(length),
            )
            server.requests.append(received)
            status, body = server.answer(received)
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format, *args):
            pass

    return Handler


@pytest.fixture
def robot_server():
    state = RobotServer()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    state.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(autouse=True)
def _locmem_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://desk.example.cn"


@pytest.fixture(autouse=True)
def _english():
    """Assertions on wording read the English msgids, whatever the .po file says."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def client(client):
    """Pages in English (LocaleMiddleware would pick the Chinese default otherwise)."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client
