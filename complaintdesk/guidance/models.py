"""The handling playbook (SPEC §8): principles, scripts with the customer's possible answers,
hotline phrases — content in Chinese and English — and the record of a script's use.

Shipped content has no store (data migration 0002) and is read by every store. A store's CS
director edits it for that store only: the first edit copies the shipped entry into a store row
with the same code, which from then on replaces the shipped one for that store (the same rule
as deadlines.DeadlinePolicy: a default, overridden per store). Every edit is a GuidanceRevision.
"""

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from complaintdesk.complaints.models import Complaint
from complaintdesk.guidance.choices import Effect, EntryKind
from complaintdesk.org.models import Store


def use_chinese() -> bool:
    """Content is shown in Chinese when the active language is Chinese, else in English."""
    return (translation.get_language() or "").lower().startswith("zh")


class GuidanceEntry(models.Model):
    """One principle, script or hotline phrase, in both languages, with the complaint natures
    and workflow steps it fits (an empty list fits all).

    Written only by guidance.services (and the data migration that ships the content).
    """

    store = models.ForeignKey(
        Store,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Empty: shipped content, read by every store that has no version of its own."),
    )
    code = models.SlugField(_("code"), max_length=50)
    kind = models.CharField(_("kind"), max_length=10, choices=EntryKind.choices)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    body_zh = models.TextField(_("text (Chinese)"))
    body_en = models.TextField(_("text (English)"))
    natures = models.JSONField(_("natures it fits"), default=list, blank=True)
    steps = models.JSONField(_("steps it fits"), default=list, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("shown"), default=True)
    # Grows with every edit, so that a stale edit form is refused instead of overwriting.
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("guidance entry")
        verbose_name_plural = _("guidance entries")
        ordering = ["kind", "order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=models.Q(store__isnull=True),
                name="guidance_unique_shipped_code",
            ),
            models.UniqueConstraint(
                fields=["store", "code"],
                condition=models.Q(store__isnull=False),
                name="guidance_unique_store_code",
            ),
        ]

    def __str__(self):
        return f"{self.code}: {self.title}"

    @property
    def title(self) -> str:
        return self.title_zh if use_chinese() else self.title_en

    @property
    def body(self) -> str:
        return self.body_zh if use_chinese() else self.body_en


class ScriptBranch(models.Model):
    """One answer a customer may give to a script, our reply to it, and whether that answer
    ends the complaint or lets it continue. `remedies` are recorded on the complaint when the
    answer ends it (SPEC §4's remedies)."""

    entry = models.ForeignKey(GuidanceEntry, on_delete=models.CASCADE, related_name="branches")
    code = models.SlugField(_("code"), max_length=50)
    label_zh = models.CharField(_("customer's answer (Chinese)"), max_length=200)
    label_en = models.CharField(_("customer's answer (English)"), max_length=200)
    reply_zh = models.TextField(_("our reply (Chinese)"))
    reply_en = models.TextField(_("our reply (English)"))
    effect = models.CharField(_("effect"), max_length=10, choices=Effect.choices)
    remedies = models.JSONField(_("remedies"), default=list, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("customer's answer")
        verbose_name_plural = _("customer's answers")
        ordering = ["entry_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "code"], name="scriptbranch_unique_code")
        ]

    def __str__(self):
        return f"{self.entry.code}/{self.code}"

    @property
    def label(self) -> str:
        return self.label_zh if use_chinese() else self.label_en

    @property
    def reply(self) -> str:
        return self.reply_zh if use_chinese() else self.reply_en


class GuidanceRevision(models.Model):
    """One edit of a store's entry: who, when, and the whole entry before and after (with its
    answers). Append-only. The first edit of shipped content has the shipped entry as before."""

    entry = models.ForeignKey(GuidanceEntry, on_delete=models.CASCADE, related_name="revisions")
    editor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    before = models.JSONField(default=dict)
    after = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("guidance revision")
        verbose_name_plural = _("guidance revisions")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.entry_id} @ {self.created_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Guidance revisions are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Guidance revisions are append-only")


class ScriptUse(models.Model):
    """A handler used a script with a customer and recorded the customer's answer. The codes
    are kept as written at the time, since the entry and its answers may be edited later; the
    complaint's timeline event (kind script_used) keeps the texts."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="script_uses")
    entry = models.ForeignKey(GuidanceEntry, on_delete=models.PROTECT, related_name="uses")
    branch = models.ForeignKey(
        ScriptBranch, null=True, blank=True, on_delete=models.SET_NULL, related_name="uses"
    )
    script_code = models.CharField(max_length=50)
    branch_code = models.CharField(max_length=50, blank=True)
    effect = models.CharField(max_length=10, choices=Effect.choices)
    note = models.TextField(_("note"), blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    used_at = models.DateTimeField()
    # Whether this answer closed the complaint (workflow action settle_by_script).
    ended = models.BooleanField(default=False)
    # The client's Idempotency-Key (API): the same key again returns this record.
    request_key = models.CharField(max_length=100, blank=True, default="")

    class Meta:
        verbose_name = _("script use")
        verbose_name_plural = _("script uses")
        ordering = ["used_at", "id"]
        indexes = [
            # A complaint's uses in order (the API list and the panel).
            models.Index(fields=["complaint", "used_at"], name="scriptuse_complaint_time"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["used_by", "request_key"],
                condition=~models.Q(request_key=""),
                name="scriptuse_unique_user_key",
            ),
        ]

    def __str__(self):
        return f"{self.script_code}/{self.branch_code} ({self.complaint_id})"
