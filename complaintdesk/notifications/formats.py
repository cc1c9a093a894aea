"""What a digest looks like on each channel: e-mail, generic JSON, WeCom and DingTalk robots.

Pure functions over the digest and its deliveries (store and complaint preloaded); nothing here
talks to the network. Titles and texts may quote customers (a complaint summary): the e-mail is
plain text, the JSON carries them as data, and the robot markdown neutralises markup characters
so that a customer's words can never become a link, a heading or an @mention in a group chat.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from complaintdesk.notifications.models import Delivery, Digest

# WeCom documents 4096 bytes (UTF-8) for markdown content and refuses longer messages
# (errcode 40058). DingTalk rejects messages of about 20 KB; we stay well below.
WECOM_MAX_BYTES = 4096
DINGTALK_MAX_BYTES = 15000
# The uid makes the Message-ID unique; the domain part only has to look like one.
MESSAGE_ID_DOMAIN = "complaintdesk.local"
# Robots show a list, not every word: a text is cut to this many characters per item.
ROBOT_BODY_CHARS = 120

_MARKUP = str.maketrans(
    {
        "<": "＜",
        ">": "＞",
        "[": "［",
        "]": "］",
        "*": "＊",
        "_": "＿",
        "`": "'",
        "#": "＃",
        "~": "～",
        "|": "｜",
        "\\": "＼",
    }
)
_SPACE_RE = re.compile(r"\s+")


def one_line(text: str) -> str:
    """Collapse newlines and runs of spaces (an e-mail subject must be one line)."""
    return _SPACE_RE.sub(" ", text or "").strip()


def md_text(text: str) -> str:
    """Untrusted text made inert for robot markdown (full-width look-alikes, one line)."""
    return one_line(text).translate(_MARKUP)


def site_url(path: str) -> str:
    """An absolute link when the deployment says where it lives (settings.SITE_URL), else ""."""
    base = getattr(settings, "SITE_URL", "") or ""
    return f"{base.rstrip('/')}{path}" if base else ""


def local_time(item: Delivery) -> dt.datetime:
    tz = item.store.tz if item.store_id else zoneinfo.ZoneInfo(settings.TIME_ZONE)
    return timezone.localtime(item.created_at, tz)


def complaint_url(item: Delivery) -> str:
    if not item.complaint_id:
        return ""
    return site_url(reverse("complaint-detail", args=[item.complaint_id]))


def item_heading(item: Delivery) -> str:
    parts = [f"[{item.get_kind_display()}]"]
    if item.urgent:
        parts.insert(0, _("URGENT"))
    if item.complaint_id:
        parts.append(item.complaint.number)
    parts.append(one_line(item.title))
    return " ".join(parts)


def item_dict(item: Delivery) -> dict:
    complaint = None
    if item.complaint_id:
        complaint = {
            "id": item.complaint_id,
            "number": item.complaint.number,
            "url": complaint_url(item),
        }
    store = {"code": item.store.code, "name": item.store.name} if item.store_id else None
    return {
        "delivery_id": item.pk,
        "event_key": item.dedupe_key,
        "kind": item.kind,
        "kind_label": str(item.get_kind_display()),
        "urgent": item.urgent,
        "title": item.title,
        "body": item.body,
        "created_at": local_time(item).isoformat(),
        "store": store,
        "complaint": complaint,
    }


# --- e-mail -----------------------------------------------------------------------------------


def email_subject(items: list[Delivery]) -> str:
    urgent = sum(1 for i in items if i.urgent)
    if len(items) == 1:
        return item_heading(items[0])[:200]
    subject = ngettext(
        "Complaint desk: %(count)d notification",
        "Complaint desk: %(count)d notifications",
        len(items),
    ) % {"count": len(items)}
    if urgent:
        subject = f"{_('URGENT')} " + subject + " " + _("(%(urgent)d urgent)") % {"urgent": urgent}
    return subject


def email_body(items: list[Delivery]) -> str:
    lines = [
        ngettext(
            "You have %(count)d new notification:",
            "You have %(count)d new notifications:",
            len(items),
        )
        % {"count": len(items)},
        "",
    ]
    for n, item in enumerate(items, 1):
        where = item.store.name if item.store_id else ""
        lines.append(f"{n}. {item_heading(item)}")
        lines.append(f"   {where} {local_time(item):%Y-%m-%d %H:%M}".rstrip())
        for text_line in (item.body or "").splitlines():
            if text_line.strip():
                lines.append(f"   {text_line.strip()}")
        if url := complaint_url(item):
            lines.append(f"   {url}")
        lines.append("")
    settings_url = site_url(reverse("notifications:settings"))
    lines.append(
        _("You receive this e-mail because e-mail notifications are on in your settings.")
        + (f" {settings_url}" if settings_url else "")
    )
    return "\n".join(lines)


def email_message(digest: Digest, items: list[Delivery], *, connection=None) -> EmailMessage:
    uid = str(digest.uid)
    # A stable Message-ID: a re-sent digest (see delivery.py) is the same message to a mail
    # system that deduplicates, and the header lets a person see it is a repeat.
    return EmailMessage(
        subject=email_subject(items),
        body=email_body(items),
        to=[digest.user.email],
        connection=connection,
        headers={"Message-ID": f"<{uid}@{MESSAGE_ID_DOMAIN}>", "X-Complaintdesk-Delivery": uid},
    )


# --- webhooks ---------------------------------------------------------------------------------


def generic_payload(digest: Digest, items: list[Delivery], *, now: dt.datetime) -> dict:
    """The generic JSON: `id` is the digest's stable id (the same on every retry); `timestamp`
    is inside the signed body, so a receiver can refuse stale replays."""
    return {
        "id": str(digest.uid),
        "type": "complaintdesk.notifications",
        "attempt": digest.attempts,
        "timestamp": int(now.timestamp()),
        "count": len(items),
        "items": [item_dict(item) for item in items],
    }


def markdown_digest(items: list[Delivery], max_bytes: int) -> tuple[str, str]:
    """(title, markdown) listing as many items as fit in max_bytes, then how many more."""
    urgent = sum(1 for i in items if i.urgent)
    title = ngettext(
        "Complaint desk: %(count)d notification",
        "Complaint desk: %(count)d notifications",
        len(items),
    ) % {"count": len(items)}
    if urgent:
        title += " " + _("(%(urgent)d urgent)") % {"urgent": urgent}
    head = f"### {md_text(title)}\n"
    lines: list[str] = []
    reserve = 200  # room for the "and N more" line and the link
    used = len(head.encode())
    for n, item in enumerate(items, 1):
        heading = md_text(item_heading(item))
        if item.urgent:
            heading = f"**{heading}**"
        line = f"{n}. {heading} · {local_time(item):%m-%d %H:%M}"
        body = md_text(item.body)
        if body:
            cut = body[:ROBOT_BODY_CHARS] + ("…" if len(body) > ROBOT_BODY_CHARS else "")
            line += f"\n> {cut}"
        url = complaint_url(item)
        if url:
            line += f" [{_('open')}]({url})"
        size = len(line.encode()) + 1
        if used + size + reserve > max_bytes:
            break
        lines.append(line)
        used += size
    rest = len(items) - len(lines)
    if rest:
        lines.append(
            ngettext(
                "…and %(count)d more in the complaint desk.",
                "…and %(count)d more in the complaint desk.",
                rest,
            )
            % {"count": rest}
        )
    list_url = site_url(reverse("notifications:list"))
    if list_url:
        lines.append(f"[{_('All notifications')}]({list_url})")
    return title, head + "\n".join(lines)


def wecom_payload(items: list[Delivery]) -> dict:
    _title, text = markdown_digest(items, WECOM_MAX_BYTES)
    return {"msgtype": "markdown", "markdown": {"content": text}}


def dingtalk_payload(items: list[Delivery]) -> dict:
    title, text = markdown_digest(items, DINGTALK_MAX_BYTES)
    return {"msgtype": "markdown", "markdown": {"title": title, "text": text}}
