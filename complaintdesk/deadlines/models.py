"""The store's clock as data (SPEC §9): holidays, in-lieu working days, office hours, policies."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from complaintdesk.org.models import Store


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Non-working day (holiday, closure)")
    WORKDAY = "workday", _("Working day (in-lieu, extra opening)")


class CalendarYear(models.Model):
    """A year of the national calendar that someone has entered. Days of a year without a row are
    judged on the weekday rule, and deadlines that need them are marked provisional."""

    class Source(models.TextChoices):
        PACKAGE = "package", _("chinesecalendar package")
        ADMIN = "admin", _("entered in the admin")
        FILE = "file", _("imported from a file")

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    loaded_at = models.DateTimeField(_("loaded at"), auto_now=True)

    class Meta:
        verbose_name = _("national calendar year")
        verbose_name_plural = _("national calendar years")
        ordering = ["year"]

    def __str__(self):
        return str(self.year)


class CalendarDay(models.Model):
    """An exception to the weekday rule: nationally (store empty) or for one store."""

    store = models.ForeignKey(
        Store,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="calendar_days",
        help_text=_("Empty: the national calendar (statutory holidays and in-lieu working days)."),
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=10, choices=DayKind.choices)
    name = models.CharField(_("name"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["date"],
                condition=models.Q(store__isnull=True),
                name="calendarday_unique_national",
            ),
            models.UniqueConstraint(
                fields=["store", "date"],
                condition=models.Q(store__isnull=False),
                name="calendarday_unique_store",
            ),
        ]

    def __str__(self):
        return f"{self.date} {self.get_kind_display()} {self.name}"


class OfficeHours(models.Model):
    """An office interval of a store on a weekday (used on that weekday when it is a working
    day). A store without rows uses 8:00–11:30 and 14:00–18:00 every day (SPEC §8)."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="office_hours")
    weekday = models.PositiveSmallIntegerField(
        _("weekday"),
        choices=[
            (i, name)
            for i, name in enumerate(
                [
                    _("Monday"),
                    _("Tuesday"),
                    _("Wednesday"),
                    _("Thursday"),
                    _("Friday"),
                    _("Saturday"),
                    _("Sunday"),
                ]
            )
        ],
    )
    start = models.TimeField(_("opens"))
    end = models.TimeField(_("closes"))

    class Meta:
        verbose_name = _("office hours")
        verbose_name_plural = _("office hours")
        ordering = ["store_id", "weekday", "start"]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.start:%H:%M}–{self.end:%H:%M}"

    def clean(self):
        if self.start and self.end and self.start >= self.end:
            raise ValidationError(_("The office must close after it opens."))


class DeadlinePolicy(models.Model):
    """A store's own length and clock for one deadline; without a row the default applies
    (deadlines.policy.DEFAULT_POLICIES)."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="deadline_policies")
    deadline = models.CharField(
        _("deadline"), max_length=30,
        choices=[
            ("register", _("Report and register (SPEC §2)")),
            ("determine", _("Determine responsibility")),
            ("determine_unreachable", _("Determine responsibility, customer unreachable")),
            ("approve_pending", _("GM approval of a pending matter")),
            ("review", _("Management review")),
            ("decide", _("GM decision")),
            ("accountability", _("Accountability and hand-over")),
            ("callback", _("Callback after completion")),
            ("callback_after_service", _("Callback after compensation / further service")),
            ("consumer_notice", _("Consumer notice (7 working days)")),
            ("regulator_acceptance", _("Regulator's acceptance decision")),
            ("regulator_mediation", _("Regulator's mediation")),
            ("refund_answer", _("Answer a replacement / refund request")),
            ("refund_complete", _("Complete a replacement / refund")),
        ],
    )
    amount = models.DecimalField(_("length"), max_digits=6, decimal_places=2)
    clock = models.CharField(
        _("clock"),
        max_length=10,
        choices=[
            ("elapsed", _("Elapsed hours")),
            ("office", _("Office hours")),
            ("workdays", _("Working days")),
        ],
    )
    warn_percent = models.PositiveSmallIntegerField(
        _("warning at (percent of the time)"),
        default=75,
        help_text=_(
            "A warning goes out when this share of the time (on the deadline's own clock) is used."
        ),
    )

    class Meta:
        verbose_name = _("deadline policy")
        verbose_name_plural = _("deadline policies")
        constraints = [
            models.UniqueConstraint(
                fields=["store", "deadline"], name="deadlinepolicy_unique_store_deadline"
            )
        ]

    def __str__(self):
        return f"{self.store} · {self.deadline}: {self.amount} {self.clock}"

    def clean(self):
        if self.amount is not None and self.amount <= 0:
            raise ValidationError({"amount": _("The length must be positive.")})
        if not 1 <= (self.warn_percent or 0) <= 99:
            raise ValidationError({"warn_percent": _("Between 1 and 99.")})


def default_office_intervals() -> tuple[tuple[dt.time, dt.time], ...]:
    from complaintdesk.deadlines.calendar import DEFAULT_INTERVALS

    return DEFAULT_INTERVALS


class Breach(models.Model):
    """A deadline warning or miss, recorded once per step and kind by the sweep (the unique
    constraint is what makes two concurrent sweeps safe). Withdrawn, not deleted, when a calendar
    or policy change moves the due time back into the future."""

    class Kind(models.TextChoices):
        WARNING = "warning", _("Deadline close")
        BREACH = "breach", _("Deadline missed")

    step = models.ForeignKey("complaints.Step", on_delete=models.CASCADE, related_name="breaches")
    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.CASCADE, related_name="breaches"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    responsible = models.ForeignKey(
        "org.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="breaches",
        verbose_name=_("responsible person"),
    )
    due_at = models.DateTimeField(_("due at"))
    detected_at = models.DateTimeField(_("detected at"))
    tier_before = models.PositiveSmallIntegerField(null=True, blank=True)
    tier_after = models.PositiveSmallIntegerField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("deadline breach")
        verbose_name_plural = _("deadline breaches")
        constraints = [
            models.UniqueConstraint(fields=["step", "kind"], name="breach_once_per_step_kind")
        ]
        indexes = [models.Index(fields=["complaint", "detected_at"], name="breach_complaint_time")]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.step_id}"

    @property
    def late_by(self) -> dt.timedelta:
        return self.detected_at - self.due_at


class JobRun(models.Model):
    """One run of a calendar job for one store and nominal day."""

    job = models.CharField(max_length=60)
    store = models.ForeignKey("org.Store", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "store", "day"], name="jobrun_once_per_day")]

    def __str__(self):
        return f"{self.job} {self.store_id} {self.day}"
