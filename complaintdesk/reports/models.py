"""Supervision (SPEC §7): the CS center's assessment of a completed form, rewards and penalties,
internal notices."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from complaintdesk.complaints.models import Complaint
from complaintdesk.org.models import Department, Store


class Proportion(models.TextChoices):
    """处理尺度: was the handling in proportion to the fault?"""

    OK = "ok", _("In proportion")
    TOO_LENIENT = "lenient", _("Too lenient")
    TOO_HARSH = "harsh", _("Too harsh")


class Assessment(models.Model):
    """The CS center's check of a completed form: timeliness (measured from its Step rows) and
    the proportion of the handling. A form may be assessed again after it was sent back."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="assessments")
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assessed_at = models.DateTimeField()
    on_time = models.BooleanField(_("all steps on time"))
    # [{"kind", "due_at", "finished_at", "assignee"}] of the steps finished late, as measured.
    late_steps = models.JSONField(default=list, blank=True)
    breaches = models.PositiveIntegerField(_("deadlines missed"), default=0)
    proportion = models.CharField(
        _("proportion of the handling"), max_length=10, choices=Proportion.choices
    )
    note = models.TextField(_("assessment note"), blank=True)
    sent_back_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["-assessed_at", "-id"]

    def __str__(self):
        return f"{self.complaint_id}: {self.get_proportion_display()}"


class Sanction(models.Model):
    """A reward or a penalty (奖罚) for a person and/or a department, from one complaint."""

    class Kind(models.TextChoices):
        REWARD = "reward", _("Reward")
        PENALTY = "penalty", _("Penalty")

    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="+")
    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="sanctions")
    kind = models.CharField(_("reward or penalty"), max_length=10, choices=Kind.choices)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sanctions",
        verbose_name=_("person"),
    )
    department = models.ForeignKey(
        Department,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("department"),
    )
    amount = models.DecimalField(_("amount (CNY)"), max_digits=10, decimal_places=2)
    reason = models.TextField(_("reason"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("reward or penalty")
        verbose_name_plural = _("rewards and penalties")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False) | models.Q(department__isnull=False),
                name="sanction_person_or_department",
            ),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="sanction_amount_ge_0"),
        ]
        indexes = [
            # The monthly rewards-and-penalties summary: one store, a range of entry times.
            models.Index(fields=["store", "created_at"], name="sanction_store_time"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount}"


class Notice(models.Model):
    """An internal notice (通报) about a substantiated complaint."""

    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="+")
    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="notices")
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField()

    class Meta:
        verbose_name = _("internal notice")
        verbose_name_plural = _("internal notices")
        ordering = ["-issued_at", "-id"]

    def __str__(self):
        return self.title
