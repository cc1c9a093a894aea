"""Reads. A person sees only their own notifications, and only those about stores they still
see (a revoked store grant also hides what was said about that store's complaints)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from complaintdesk.core.errors import NotFound
from complaintdesk.notifications.models import Notification, NotificationPreference
from complaintdesk.org.selectors import visible_store_ids

BELL_SIZE = 10


def notifications_for(user) -> QuerySet[Notification]:
    """The one access predicate for notifications: every list, count and lookup starts here."""
    if user is None or not user.is_authenticated:
        return Notification.objects.none()
    return (
        Notification.objects.filter(recipient=user)
        .filter(Q(store__isnull=True) | Q(store_id__in=visible_store_ids(user)))
        # Added to a complaint's involved staff after being told: no longer theirs to read.
        .exclude(complaint__involved_staff=user)
    )


def get_notification_for(user, pk) -> Notification:
    """Another person's notification is missing, not forbidden."""
    try:
        return notifications_for(user).get(pk=pk)
    except (Notification.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def inbox(user) -> QuerySet[Notification]:
    return (
        notifications_for(user).select_related("store", "complaint").order_by("-created_at", "-id")
    )


def unread_count(user) -> int:
    return notifications_for(user).filter(read_at__isnull=True).count()


def bell(user) -> dict:
    """What the bell shows: the unread count and the latest few."""
    return {"unread": unread_count(user), "latest": list(inbox(user)[:BELL_SIZE])}


def wants_email(user) -> bool:
    preference = NotificationPreference.objects.filter(user=user).first()
    return preference.email if preference is not None else True


def email_opted_out(user_ids: Iterable[int]) -> set[int]:
    """Of these users, those who turned e-mail off (no row means on)."""
    return set(
        NotificationPreference.objects.filter(user_id__in=list(user_ids), email=False).values_list(
            "user_id", flat=True
        )
    )
