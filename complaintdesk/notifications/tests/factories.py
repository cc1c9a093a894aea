"""Builders shared by the notification tests."""

import datetime as dt
import zoneinfo

from complaintdesk.notifications.models import WebhookEndpoint

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
# Thursday 2026-12-03 10:00 in Shanghai: a working day, inside office hours.
NOW = dt.datetime(2026, 12, 3, 10, 0, tzinfo=SHANGHAI)


def with_email(*users):
    for user in users:
        user.email = f"{user.username}@dealer.example.cn"
        user.save(update_fields=["email"])
    return users[0] if len(users) == 1 else users


def robot(store, url, *, kind="generic", secret="", kinds=None, active=True, name="robot"):
    return WebhookEndpoint.objects.create(
        store=store, name=name, kind=kind, url=url, secret=secret, kinds=kinds or [], active=active
    )
