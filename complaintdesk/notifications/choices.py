"""The vocabularies of notifications and their delivery."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    WARNING = "warning", _("Deadline warning")
    BREACH = "breach", _("Deadline missed")
    ESCALATION = "escalation", _("Escalation")
    ASSIGNMENT = "assignment", _("Assignment")
    CALENDAR_MISSING = "calendar_missing", _("Calendar missing")
    REPORT = "report", _("Report")
    LEGAL_RISK = "legal_risk", _("Legal risk (three guarantees)")
    OTHER = "other", _("Other")


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    WEBHOOK = "webhook", _("Webhook")


class EndpointKind(models.TextChoices):
    GENERIC = "generic", _("Generic JSON (HMAC-signed)")
    WECOM = "wecom", _("WeCom group robot (企业微信)")
    DINGTALK = "dingtalk", _("DingTalk group robot (钉钉)")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


# Rows a worker may still pick up: pending ones when due, sending ones whose lease ran out (the
# worker that claimed them died between claim and mark).
ACTIVE_STATUSES = frozenset({DeliveryStatus.PENDING, DeliveryStatus.SENDING})
