"""In-app notifications, the channels people and stores choose, and the outbound message log.

A notification is one event told to one person (in the app at once, whatever the hour). Each
outbound copy of an event is a `Delivery`: one per e-mail recipient and one per store robot
(`WebhookEndpoint`). Due deliveries of one target are sent together as a `Digest` — a burst of
200 breaches after an outage is one e-mail per person and one robot message, not 200.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaintdesk.notifications.choices import (
    ACTIVE_STATUSES,
    Channel,
    DeliveryStatus,
    EndpointKind,
    Kind,
)
from complaintdesk.org.models import Store

# urllib would happily open file:// or ftp:// URLs; a robot is only ever reached over HTTP(S).
ALLOWED_SCHEMES = ("http", "https")
validate_http_url = URLValidator(
    schemes=list(ALLOWED_SCHEMES), message=_("Enter an http:// or https:// address.")
)


class Notification(models.Model):
    """One event told to one person. The (recipient, dedupe_key) constraint is what makes the
    sweep safe to re-run: the same warning or breach never reaches a person twice."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    store = models.ForeignKey(
        Store,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Empty for notices about no single store (e.g. a missing calendar year)."),
    )
    complaint = models.ForeignKey(
        "complaints.Complaint", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    urgent = models.BooleanField(_("urgent"), default=False)
    dedupe_key = models.CharField(_("event key"), max_length=200)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"], name="notification_unique_event"
            )
        ]
        indexes = [
            # The list and the bell's latest ten: one person's, newest first.
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox_idx"),
            # The bell's unread count on every page.
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True),
                name="notification_unread_idx",
            ),
        ]

    def __str__(self):
        return f"{self.recipient} · {self.title}"


class NotificationPreference(models.Model):
    """A person's channels. In-app notifications are always on; e-mail can be turned off.
    Without a row, e-mail is on (for a user who has an address)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email = models.BooleanField(_("send me e-mail"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self):
        return f"{self.user}: email={'on' if self.email else 'off'}"


class WebhookEndpoint(models.Model):
    """One of a store's robots: a generic JSON receiver (signed with HMAC-SHA256), a WeCom group
    robot or a DingTalk group robot (signed URL when a secret is set)."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="webhook_endpoints")
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(
        _("format"), max_length=10, choices=EndpointKind.choices, default=EndpointKind.GENERIC
    )
    url = models.URLField(_("URL"), max_length=500, validators=[validate_http_url])
    secret = models.CharField(
        _("secret"),
        max_length=200,
        blank=True,
        help_text=_(
            "Generic: the HMAC-SHA256 key of the X-Complaintdesk-Signature header. DingTalk: the "
            "SEC… secret of the robot's signing setting. Not used by WeCom (the key is in the URL)."
        ),
    )
    kinds = models.JSONField(
        _("kinds posted"),
        default=list,
        blank=True,
        help_text=_("Empty: every kind of notification."),
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("webhook / robot")
        verbose_name_plural = _("webhooks / robots")
        ordering = ["store_id", "name"]

    def __str__(self):
        return f"{self.store} · {self.name}"

    def clean(self):
        if self.url:
            validate_http_url(self.url)
        unknown = set(self.kinds or []) - set(Kind.values)
        if unknown:
            raise ValidationError({"kinds": _("Unknown kinds: %s") % ", ".join(sorted(unknown))})

    def wants(self, kind: str) -> bool:
        return not self.kinds or kind in self.kinds


def _target_check(prefix: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=(
            Q(channel=Channel.EMAIL, user__isnull=False, endpoint__isnull=True)
            | Q(channel=Channel.WEBHOOK, endpoint__isnull=False, user__isnull=True)
        ),
        name=f"{prefix}_one_target",
    )


class Digest(models.Model):
    """One outbound message to one target: the deliveries that were due when it was formed.

    Its members are fixed when it is formed, so every retry sends exactly the same content under
    the same `uid` (the X-Complaintdesk-Delivery header, the e-mail Message-ID): a receiver that
    already processed it can drop the repeat (see delivery.py for the at-least-once window).
    """

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    endpoint = models.ForeignKey(
        WebhookEndpoint, null=True, blank=True, on_delete=models.CASCADE, related_name="digests"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # Pending: when to (re)try. Sending: when the claim's lease runs out.
    next_attempt_at = models.DateTimeField(_("next attempt at"))
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("digest")
        verbose_name_plural = _("digests")
        constraints = [_target_check("digest")]
        indexes = [
            # deliver_due's claim: due digests in order, among the few still active.
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status__in=sorted(ACTIVE_STATUSES)),
                name="digest_due_idx",
            )
        ]

    def __str__(self):
        return f"{self.get_channel_display()} {self.uid} ({self.get_status_display()})"


class Delivery(models.Model):
    """One event to be sent to one target (a person's e-mail or a store robot), with its content,
    so that the log shows what went out. The partial unique constraints make queuing idempotent:
    the same event is never queued twice for the same target. Status, attempts and errors mirror
    the digest the delivery was sent in."""

    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("recipient"),
    )
    endpoint = models.ForeignKey(
        WebhookEndpoint,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("robot"),
    )
    notification = models.ForeignKey(
        Notification, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries"
    )
    store = models.ForeignKey(
        Store, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    complaint = models.ForeignKey(
        "complaints.Complaint", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    urgent = models.BooleanField(_("urgent"), default=False)
    dedupe_key = models.CharField(_("event key"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # Office hours (SPEC §4 notifications): an ordinary message waits for the store's next
    # opening; an urgent one is due at once.
    deliver_after = models.DateTimeField(_("deliver after"))
    next_attempt_at = models.DateTimeField(_("next attempt at"))
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    digest = models.ForeignKey(
        Digest, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "dedupe_key"],
                condition=Q(channel=Channel.EMAIL),
                name="delivery_unique_email_event",
            ),
            models.UniqueConstraint(
                fields=["endpoint", "dedupe_key"],
                condition=Q(channel=Channel.WEBHOOK),
                name="delivery_unique_webhook_event",
            ),
            _target_check("delivery"),
        ]
        indexes = [
            # Digest formation: due deliveries not yet in a digest.
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status=DeliveryStatus.PENDING, digest__isnull=True),
                name="delivery_ungrouped_due_idx",
            )
        ]

    def __str__(self):
        target = self.user or self.endpoint
        return f"{self.get_channel_display()} → {target}: {self.title}"
