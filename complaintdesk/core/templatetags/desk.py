"""Template filters of the staff UI: customer text with safe links, store-local times, deadlines.

{% load desk %}
{{ c.description|safe_links }}
{{ c.received_at|store_time:c.store }}
{{ step.due_at|due_relative }}
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

from django import template
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

register = template.Library()

# Only these schemes ever become links. The URL body is limited to the ASCII characters RFC 3986
# allows, so Chinese text written straight after a link (详见https://x.cn/a。谢谢) is not swallowed,
# and a quote or angle bracket always ends it.
_URL_CHARS = r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]"
_LINK_RE = re.compile(
    rf"(?:https?://{_URL_CHARS}+"
    r"|mailto:[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+[A-Za-z0-9]"
    r"|tel:\+?[0-9][0-9\-().]*[0-9])",
    re.IGNORECASE,
)
# Sentence punctuation that usually follows a link rather than belonging to it.
_TRAILING = ".,;:!?)]'"
_NEWLINE_RE = re.compile(r"\r\n|\r|\n")


def _link(url: str) -> str:
    return f'<a href="{escape(url)}" rel="noopener noreferrer nofollow">{escape(url)}</a>'


def _linkify_line(line: str) -> str:
    out = []
    pos = 0
    for match in _LINK_RE.finditer(line):
        url = match.group(0)
        tail = ""
        while url and url[-1] in _TRAILING and not (url[-1] == ")" and "(" in url):
            tail = url[-1] + tail
            url = url[:-1]
        scheme_only = url.lower() in {"http://", "https://"} or url.endswith("://")
        out.append(escape(line[pos : match.start()]))
        out.append(escape(url) if scheme_only else _link(url))
        out.append(escape(tail))
        pos = match.end()
    out.append(escape(line[pos:]))
    return "".join(out)


@register.filter(is_safe=False)
def safe_links(value) -> SafeString:
    """Escape untrusted text; turn only http(s), mailto and tel URLs into links; keep line breaks.

    Anything else that looks like a URL (javascript:, data:, vbscript:, file:) stays plain text.
    """
    if value is None:
        return mark_safe("")  # noqa: S308 - empty
    text = str(value)
    html = "<br>\n".join(_linkify_line(line) for line in _NEWLINE_RE.split(text))
    return mark_safe(html)  # noqa: S308 - every piece above went through escape()


def _tz_of(store):
    if store is None or store == "":
        return timezone.get_current_timezone()
    if isinstance(store, dt.tzinfo):
        return store
    tz = getattr(store, "tz", None)
    if tz is not None:
        return tz
    try:
        return zoneinfo.ZoneInfo(str(store))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return timezone.get_current_timezone()


@register.filter
def store_time(value, store=None) -> str:
    """A stored (UTC) datetime as the store's local wall-clock time, e.g. 2026-03-05 14:20."""
    if not isinstance(value, dt.datetime):
        if isinstance(value, str) and value:
            try:
                value = dt.datetime.fromisoformat(value)
            except ValueError:
                return value
        else:
            return ""
    if timezone.is_naive(value):
        return value.strftime("%Y-%m-%d %H:%M")
    return timezone.localtime(value, _tz_of(store)).strftime("%Y-%m-%d %H:%M")


def format_duration(delta: dt.timedelta) -> str:
    """3 h 20 min, 45 min, 2 d 4 h; never less than 1 min."""
    minutes = max(1, int(abs(delta.total_seconds()) // 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        parts = [_("%(n)d d") % {"n": days}]
        if hours:
            parts.append(_("%(n)d h") % {"n": hours})
    elif hours:
        parts = [_("%(n)d h") % {"n": hours}]
        if mins:
            parts.append(_("%(n)d min") % {"n": mins})
    else:
        parts = [_("%(n)d min") % {"n": mins}]
    return " ".join(parts)


def _now():
    return timezone.now()


@register.filter
def is_overdue(due_at) -> bool:
    """Overdue is derived at render time: due_at < now (never a stored flag)."""
    return isinstance(due_at, dt.datetime) and due_at < _now()


@register.filter
def due_soon(due_at, hours=1) -> bool:
    """Not yet overdue but due within `hours` hours."""
    if not isinstance(due_at, dt.datetime):
        return False
    now = _now()
    return now <= due_at <= now + dt.timedelta(hours=int(hours))


@register.filter
def due_relative(due_at) -> str:
    """“overdue by 3 h” / “due in 45 min”, computed when the page is rendered."""
    if not isinstance(due_at, dt.datetime):
        return ""
    delta = due_at - _now()
    if delta.total_seconds() < 0:
        return _("overdue by %(time)s") % {"time": format_duration(delta)}
    return _("due in %(time)s") % {"time": format_duration(delta)}


SEVERITY_CLASSES = {
    "ordinary": "text-bg-secondary",
    "major": "text-bg-warning",
    "critical": "text-bg-danger",
}
STATUS_CLASSES = {
    "received": "text-bg-info",
    "investigating": "text-bg-primary",
    "pending_approval": "text-bg-warning",
    "pending": "text-bg-light border",
    "management_review": "text-bg-primary",
    "gm_decision": "text-bg-primary",
    "accountability": "text-bg-primary",
    "callback": "text-bg-info",
    "completed": "text-bg-success",
    "archived": "text-bg-dark",
    "voided": "text-bg-secondary",
}


@register.filter
def severity_class(value) -> str:
    return SEVERITY_CLASSES.get(str(value), "text-bg-secondary")


@register.filter
def status_class(value) -> str:
    return STATUS_CLASSES.get(str(value), "text-bg-secondary")


@register.filter
def get_item(mapping, key):
    """{{ mydict|get_item:key }} for dicts keyed by a variable."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.simple_tag
def countdown(due_at) -> str:
    """The relative due time, kept live by app.js: the server renders the text (so it works
    without JS), the page script recounts it every 30 s from the same data."""
    if not isinstance(due_at, dt.datetime):
        return ""
    return format_html(
        '<span class="countdown" data-due="{}" data-overdue="{}" data-remaining="{}" '
        'data-d="{}" data-h="{}" data-min="{}">{}</span>',
        due_at.astimezone(dt.UTC).isoformat(),
        _("overdue by %(time)s") % {"time": "{t}"},
        _("due in %(time)s") % {"time": "{t}"},
        _("%(n)d d") % {"n": 0},
        _("%(n)d h") % {"n": 0},
        _("%(n)d min") % {"n": 0},
        due_relative(due_at),
    )


@register.filter
def sees_stores(user) -> bool:
    """Whether the user holds a role in any store (the admin-only superuser holds none)."""
    from complaintdesk.org.selectors import visible_store_ids

    return bool(user.is_authenticated and visible_store_ids(user))
