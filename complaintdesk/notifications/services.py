"""Writes: telling people about an event, and what they do with what they were told."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone

from complaintdesk.deadlines.calendar import BusinessCalendar
from complaintdesk.deadlines.policy import next_opening, store_calendar
from complaintdesk.notifications import selectors
from complaintdesk.notifications.choices import Channel, Kind
from complaintdesk.notifications.models import (
    Delivery,
    Notification,
    NotificationPreference,
    WebhookEndpoint,
)
from complaintdesk.org.models import Store, User


def deliver_after_for(
    store: Store | None,
    now: dt.datetime,
    *,
    urgent: bool,
    cal: BusinessCalendar | None = None,
) -> dt.datetime:
    """When a message may go out (SPEC §4 notifications, issue 3): ordinary messages wait for the
    store's next office opening; urgent ones (critical complaints) go at once."""
    if urgent:
        return now
    if cal is None:
        # Only this year's and next year's days matter for the next opening; loading every year
        # of the national calendar for each event of a burst would dominate the sweep.
        local_year = now.astimezone(store.tz if store else timezone.get_default_timezone()).year
        cal = store_calendar(store, years=range(local_year, local_year + 2))
    return next_opening(now, cal)


def notify(
    *,
    recipients: Iterable[User],
    store: Store | None,
    kind: str,
    title: str,
    body: str = "",
    complaint=None,
    urgent: bool = False,
    dedupe_key: str,
    now: dt.datetime | None = None,
    cal: BusinessCalendar | None = None,
) -> list[Notification]:
    """Tell `recipients` (in the app at once) and queue the outbound copies: each recipient's
    e-mail (if they want it and have an address) and every active robot of the store.

    Runs inside the caller's transaction (the deadline sweep's), so a rolled-back sweep leaves
    nothing behind. Idempotent by `dedupe_key`: a person already told of this event, or a robot
    already queued for it, is skipped — re-running the sweep or two sweeps at once never tell
    anyone twice (the unique constraints decide, not a read-then-write). The staff complained
    about (SPEC §1 conflict of interest) are never told about their own complaint. Returns the
    notifications created by this call. `cal` lets a caller that tells many events reuse one
    calendar.
    """
    if kind not in Kind.values:
        raise ValueError(f"unknown notification kind {kind!r}")
    now = now or timezone.now()
    title = title[:200]
    by_id = {user.pk: user for user in recipients if user.is_active}
    if complaint is not None and by_id:
        involved = set(complaint.involved_staff.values_list("pk", flat=True))
        by_id = {pk: user for pk, user in by_id.items() if pk not in involved}
    deliver_after = deliver_after_for(store, now, urgent=urgent, cal=cal)
    common = {
        "store": store,
        "complaint": complaint,
        "kind": kind,
        "title": title,
        "body": body,
        "urgent": urgent,
        "dedupe_key": dedupe_key,
    }

    already = set(
        Notification.objects.filter(recipient_id__in=by_id, dedupe_key=dedupe_key).values_list(
            "recipient_id", flat=True
        )
    )
    fresh = [pk for pk in by_id if pk not in already]
    # ignore_conflicts: a concurrent notify of the same event may have won the race since the
    # read above; the constraint keeps one row and this insert does not abort the transaction.
    Notification.objects.bulk_create(
        [Notification(recipient_id=pk, created_at=now, **common) for pk in fresh],
        ignore_conflicts=True,
    )
    created = list(
        Notification.objects.filter(recipient_id__in=fresh, dedupe_key=dedupe_key, created_at=now)
    )

    email_off = selectors.email_opted_out(fresh)
    queue = [
        Delivery(
            channel=Channel.EMAIL,
            user_id=n.recipient_id,
            notification=n,
            deliver_after=deliver_after,
            next_attempt_at=deliver_after,
            created_at=now,
            **common,
        )
        for n in created
        if by_id[n.recipient_id].email and n.recipient_id not in email_off
    ]
    if store is not None:
        queue += [
            Delivery(
                channel=Channel.WEBHOOK,
                endpoint=endpoint,
                deliver_after=deliver_after,
                next_attempt_at=deliver_after,
                created_at=now,
                **common,
            )
            for endpoint in WebhookEndpoint.objects.filter(store=store, active=True)
            if endpoint.wants(kind)
        ]
    Delivery.objects.bulk_create(queue, ignore_conflicts=True)
    return created


def notification_mark_read(
    *, actor: User, notification_id: int, now: dt.datetime | None = None
) -> Notification:
    """Mark one of the actor's own notifications read (NotFound for anyone else's)."""
    notification = selectors.get_notification_for(actor, notification_id)
    if notification.read_at is None:
        notification.read_at = now or timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def notification_mark_all_read(*, actor: User, now: dt.datetime | None = None) -> int:
    """Mark every unread notification the actor can see read; returns how many."""
    return (
        selectors.notifications_for(actor)
        .filter(read_at__isnull=True)
        .update(read_at=now or timezone.now())
    )


def preference_set(*, actor: User, email: bool) -> NotificationPreference:
    preference, _ = NotificationPreference.objects.update_or_create(
        user=actor, defaults={"email": email}
    )
    return preference
