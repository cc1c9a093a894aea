"""Sending to a robot: HTTP POST with urllib, a short timeout, no redirects, and the signatures.

Every failure raises SendError; `permanent` ones (a robot switched off, a bad URL) are not retried.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import urllib.error
import urllib.parse
import urllib.request

from complaintdesk.notifications.models import ALLOWED_SCHEMES

TIMEOUT_SECONDS = 10
MAX_RESPONSE_BYTES = 64 * 1024
USER_AGENT = "complaintdesk-notifications/1"


class SendError(Exception):
    def __init__(self, message: str, *, permanent: bool = False):
        super().__init__(message)
        self.permanent = permanent


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A robot that redirects is misconfigured; following a POST redirect would turn it into a
    GET elsewhere. Treat it as a failure."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def encode_json(payload: dict) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


def hmac_signature(secret: str, body: bytes) -> str:
    """The generic webhook's X-Complaintdesk-Signature: sha256=<hex HMAC of the raw body>."""
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def dingtalk_signed_url(url: str, secret: str, timestamp_ms: int) -> str:
    """DingTalk's 加签: sign = urlencode(base64(HMAC-SHA256(key=secret,
    msg=f"{timestamp}\\n{secret}"))), appended with the millisecond timestamp (DingTalk refuses
    one more than an hour off)."""
    to_sign = f"{timestamp_ms}\n{secret}".encode()
    sign = base64.b64encode(hmac.new(secret.encode(), to_sign, hashlib.sha256).digest()).decode()
    extra = urllib.parse.urlencode({"timestamp": str(timestamp_ms), "sign": sign})
    return f"{url}{'&' if urllib.parse.urlsplit(url).query else '?'}{extra}"


def post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
    """POST and return (status, body) of a 2xx answer; anything else raises SendError."""
    scheme = urllib.parse.urlsplit(url).scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        raise SendError(f"refused URL scheme {scheme!r}", permanent=True)
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked just above
        url,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json; charset=utf-8", "User-Agent": USER_AGENT}
        | headers,
    )
    try:
        with _opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            return response.status, response.read(MAX_RESPONSE_BYTES)
    except urllib.error.HTTPError as exc:
        detail = exc.read(500).decode(errors="replace") if exc.fp else ""
        raise SendError(f"HTTP {exc.code}: {detail}".strip()) from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise SendError(f"{type(exc).__name__}: {exc}") from None


def check_robot_answer(body: bytes) -> None:
    """WeCom and DingTalk answer 200 with {"errcode": 0, "errmsg": "ok"}; a non-zero errcode
    (bad key, bad signature, too many messages) is a failure."""
    try:
        answer = json.loads(body.decode() or "{}")
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise SendError(f"robot answered with something else than JSON: {body[:200]!r}") from None
    errcode = answer.get("errcode") if isinstance(answer, dict) else None
    if errcode != 0:
        errmsg = answer.get("errmsg", "") if isinstance(answer, dict) else ""
        raise SendError(f"robot errcode {errcode}: {errmsg}")
