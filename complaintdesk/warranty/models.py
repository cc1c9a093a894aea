"""Repair history, the three-guarantees thresholds as data, and the legal-risk flags (SPEC §9).

The vehicle's own facts (invoice / delivery date, last mileage reading) live on
complaints.Vehicle; the rules that read all of this are in warranty.rules.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from complaintdesk.complaints.models import Complaint, Vehicle
from complaintdesk.org.models import Store
from complaintdesk.warranty.choices import (
    THRESHOLD_UNITS,
    ConditionCode,
    System,
    ThresholdCode,
    Unit,
    VisitKind,
    VisitSource,
)


class WarrantyThreshold(models.Model):
    """One number of the three-guarantees rule, in force from a date (SPEC §9: a change of law is
    a data change). Rows without a store are the law; a store's row replaces the law's for that
    store and may only be more generous (longer periods, fewer repairs) — a brand's own promise.
    For a vehicle, the row in force on its 三包 start date applies (selectors.limits_for)."""

    store = models.ForeignKey(
        Store,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Empty: the regulation's value for every store."),
    )
    code = models.CharField(_("threshold"), max_length=30, choices=ThresholdCode.choices)
    value = models.PositiveIntegerField(_("value"))
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices)
    citation = models.CharField(_("legal citation"), max_length=200)
    effective_from = models.DateField(_("in force from"))
    note = models.TextField(_("note"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("three-guarantees threshold")
        verbose_name_plural = _("three-guarantees thresholds")
        ordering = ["code", "store_id", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "effective_from"],
                condition=Q(store__isnull=True),
                name="warrantythreshold_unique_national",
            ),
            models.UniqueConstraint(
                fields=["store", "code", "effective_from"],
                condition=Q(store__isnull=False),
                name="warrantythreshold_unique_store",
            ),
        ]

    def __str__(self):
        return f"{self.get_code_display()} = {self.value} {self.get_unit_display()}"

    def clean(self):
        expected = THRESHOLD_UNITS.get(self.code)
        if expected is not None and self.unit != expected:
            raise ValidationError(
                {
                    "unit": _("This threshold is counted in %(unit)s.")
                    % {"unit": Unit(expected).label}
                }
            )
        if self.value is not None and self.value < 1:
            raise ValidationError({"value": _("Must be at least %(n)s.") % {"n": 1}})


class RepairVisit(models.Model):
    """One workshop visit of a vehicle (a repair order of the dealer management system), recorded
    by hand or imported. Written only by warranty.services and warranty.importing.

    `parts` is the normalised list of `parts_replaced` (services.normalize_parts) that "the same
    main part replaced twice" (Art. 24(3)) compares. `fault_of` names the complaints whose fault
    this visit repaired: "the same problem" of Art. 24(4) is counted per complaint."""

    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="+")
    vehicle = models.ForeignKey(Vehicle, on_delete=models.PROTECT, related_name="repair_visits")
    repair_order = models.CharField(_("repair order no."), max_length=40)
    date_in = models.DateField(_("date in"))
    date_out = models.DateField(
        _("date out"),
        null=True,
        blank=True,
        help_text=_("Empty while the car is still in the workshop."),
    )
    mileage_km = models.PositiveIntegerField(_("mileage (km)"), null=True, blank=True)
    kind = models.CharField(
        _("kind of visit"), max_length=15, choices=VisitKind.choices, default=VisitKind.QUALITY
    )
    system = models.CharField(_("system"), max_length=20, choices=System.choices, blank=True)
    fault_description = models.TextField(_("fault description"), blank=True)
    parts_replaced = models.TextField(_("parts replaced"), blank=True)
    parts = models.JSONField(default=list, blank=True, editable=False)
    assembly_replaced = models.BooleanField(_("whole assembly replaced"), default=False)
    serious_safety = models.BooleanField(_("serious safety fault"), default=False)
    excluded_days = models.PositiveSmallIntegerField(
        _("days not counted"),
        default=0,
        help_text=_(
            "Days that do not count as repair time: transport of parts made to order for this "
            "VIN, travel of a roadside rescue (Art. 24 para. 2)."
        ),
    )
    fault_of = models.ManyToManyField(
        Complaint,
        blank=True,
        related_name="repair_visits",
        verbose_name=_("repair of the fault of"),
    )
    source = models.CharField(
        _("source"), max_length=10, choices=VisitSource.choices, default=VisitSource.MANUAL
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("repair visit")
        verbose_name_plural = _("repair visits")
        ordering = ["date_in", "id"]
        constraints = [
            # Re-importing the same repair order updates it (importing.py).
            models.UniqueConstraint(
                fields=["store", "repair_order"], name="repairvisit_unique_store_order"
            ),
            models.CheckConstraint(
                condition=Q(date_out__isnull=True) | Q(date_out__gte=F("date_in")),
                name="repairvisit_out_after_in",
            ),
        ]
        indexes = [
            # The evaluation reads one vehicle's visits in date order.
            models.Index(fields=["vehicle", "date_in"], name="repairvisit_vehicle_date"),
            # The daily re-evaluation finds vehicles with a repair still open.
            models.Index(
                fields=["store"], name="repairvisit_open", condition=Q(date_out__isnull=True)
            ),
        ]

    def __str__(self):
        return f"{self.repair_order} ({self.date_in})"


class LegalRiskFlag(models.Model):
    """A complaint met a replacement / refund condition (SPEC §9): raised once per complaint and
    condition, in the transaction that writes the LEGAL_RISK event and tells the CS director(s)
    and GM(s); the unique constraint makes a concurrent or repeated check raise nothing twice."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="legal_risks")
    condition = models.CharField(_("condition"), max_length=30, choices=ConditionCode.choices)
    citation = models.CharField(_("legal citation"), max_length=300, blank=True)
    numbers = models.JSONField(default=dict, blank=True)
    raised_at = models.DateTimeField(_("raised at"))

    class Meta:
        verbose_name = _("legal-risk flag")
        verbose_name_plural = _("legal-risk flags")
        ordering = ["raised_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["complaint", "condition"], name="legalriskflag_unique_condition"
            )
        ]

    def __str__(self):
        return f"{self.complaint_id}: {self.get_condition_display()}"
