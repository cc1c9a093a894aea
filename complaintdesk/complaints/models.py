"""The customer feedback handling form 《客户信息反馈处理单》 and what hangs off it."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from complaintdesk.complaints.choices import (
    Channel,
    EventKind,
    Nature,
    Outcome,
    Severity,
    Status,
    StepKind,
    StepTrack,
)
from complaintdesk.org.models import Department, Store


class Customer(models.Model):
    """A customer of one store. The phone is kept as typed and normalised for lookups."""

    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="customers")
    name = models.CharField(_("customer name"), max_length=100)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    phone_normalized = models.CharField(max_length=20, blank=True, db_index=True)

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")

    def __str__(self):
        return self.name


class Vehicle(models.Model):
    """A vehicle seen by one store. Plate and VIN are normalised for matching."""

    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="vehicles")
    plate = models.CharField(_("plate"), max_length=20, blank=True)
    plate_normalized = models.CharField(max_length=20, blank=True, db_index=True)
    vin = models.CharField(_("VIN"), max_length=17, blank=True, db_index=True)
    brand = models.CharField(_("brand"), max_length=60, blank=True)
    model = models.CharField(_("model"), max_length=120, blank=True)
    # Three-guarantees facts (SPEC §9, complaintdesk.warranty): the periods run from the invoice
    # date, or from the delivery date when it differs (家用汽车产品三包规定 2021, Art. 18).
    # Written only by warranty.services.vehicle_facts_set.
    invoice_date = models.DateField(_("purchase invoice date"), null=True, blank=True)
    delivery_date = models.DateField(_("delivery date"), null=True, blank=True)
    mileage_km = models.PositiveIntegerField(_("mileage (km)"), null=True, blank=True)
    mileage_read_on = models.DateField(_("mileage read on"), null=True, blank=True)

    class Meta:
        verbose_name = _("vehicle")
        verbose_name_plural = _("vehicles")

    def __str__(self):
        return self.plate or self.vin or self.model


class FormCounter(models.Model):
    """Last form number issued per store and month; locked while a number is taken.

    The counter row is updated in the same transaction that inserts the complaint, so a
    rolled-back creation gives its number back and the sequence stays gap-free.
    """

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+")
    period = models.CharField(max_length=6)  # YYYYMM in the store's time zone
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["store", "period"], name="formcounter_unique_period")
        ]

    def __str__(self):
        return f"{self.store_id}/{self.period}: {self.last_number}"


class ComplaintQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The one store-scope predicate for every complaint read (list, detail, search, count,
        export, API). See complaintdesk.org.selectors.visible_store_ids."""
        from complaintdesk.org.selectors import visible_store_ids

        return self.filter(store_id__in=visible_store_ids(user))


class Complaint(models.Model):
    """One complaint = one customer feedback handling form, from receipt to archive.

    Only the transition functions in `workflow.py` assign `status`, `tier` and `current_step`.
    `version` grows with every change so that a stale form is refused instead of overwriting.
    """

    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="complaints")
    number = models.CharField(_("form number"), max_length=30, editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    tier = models.PositiveSmallIntegerField(_("handling tier"), default=1)
    version = models.PositiveIntegerField(default=1)

    # Intake (SPEC §2): when, where, who, what, result so far, vehicle, channel, who received it.
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    received_at = models.DateTimeField(_("received at"))
    location = models.CharField(_("where"), max_length=200, blank=True)
    customer = models.ForeignKey(
        Customer, null=True, blank=True, on_delete=models.PROTECT, related_name="complaints"
    )
    contact_name = models.CharField(_("contact person"), max_length=100, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    vehicle = models.ForeignKey(
        Vehicle, null=True, blank=True, on_delete=models.PROTECT, related_name="complaints"
    )
    # The form's own record of who and which vehicle, as written on it. Customer and Vehicle are
    # the identities that match later complaints; correcting one form never rewrites another's.
    customer_name = models.CharField(_("customer name"), max_length=100, blank=True)
    customer_phone = models.CharField(_("phone"), max_length=40, blank=True)
    plate = models.CharField(_("plate"), max_length=20, blank=True)
    vin = models.CharField(_("VIN"), max_length=17, blank=True)
    vehicle_brand = models.CharField(_("brand"), max_length=60, blank=True)
    vehicle_model = models.CharField(_("model"), max_length=120, blank=True)
    summary = models.CharField(_("summary"), max_length=200)
    description = models.TextField(_("what happened"))
    result_so_far = models.TextField(_("result so far"), blank=True)
    customer_demand = models.TextField(_("customer's demand"), blank=True)
    repair_order = models.CharField(_("repair order no."), max_length=40, blank=True)
    sales_contract = models.CharField(_("sales contract no."), max_length=40, blank=True)
    involved_staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="complaints_about",
        verbose_name=_("staff complained about"),
        help_text=_("They may never handle, decide, review or call back this complaint."),
    )
    involved_staff_note = models.CharField(_("other staff involved"), max_length=200, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("received by"),
    )
    filled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("form filled by"),
    )

    # Judgement (SPEC §3).
    nature = models.CharField(_("nature"), max_length=20, choices=Nature.choices, blank=True)
    severity = models.CharField(
        _("severity"), max_length=10, choices=Severity.choices, default=Severity.ORDINARY
    )
    concerned_department = models.ForeignKey(
        Department,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("department concerned"),
    )
    customer_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("customer manager"),
    )

    # Handling (SPEC §4): responsibility, opinions, decision, accountability, remedies.
    responsible_department = models.ForeignKey(
        Department,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsible department"),
    )
    responsible_staff_note = models.CharField(_("people responsible"), max_length=200, blank=True)
    responsibility_finding = models.TextField(_("responsibility finding"), blank=True)
    handling_opinion = models.TextField(_("handling opinion"), blank=True)
    remedies = models.JSONField(_("remedies"), default=list, blank=True)
    customer_informed = models.BooleanField(_("customer informed"), default=False)
    callback_required = models.BooleanField(_("callback required"), default=False)
    management_opinion = models.TextField(_("fault handling opinion"), blank=True)
    management_agreed = models.BooleanField(_("management agreed"), null=True, blank=True)
    gm_decision = models.TextField(_("GM decision"), blank=True)
    accountability_note = models.TextField(_("accountability carried out"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    outcome_explanation = models.TextField(_("explanation to the customer"), blank=True)
    void_reason = models.TextField(_("void reason"), blank=True)
    # SPEC §9: a regulator's referral (e.g. 12315) is recorded with the regulator's reference.
    regulator_reference = models.CharField(_("regulator's reference"), max_length=60, blank=True)

    # Where it came from when imported; (store, source, source_ref) makes re-imports idempotent.
    source = models.CharField(_("import source"), max_length=200, blank=True)
    source_ref = models.CharField(_("import reference"), max_length=100, blank=True)
    source_category = models.CharField(_("category at source"), max_length=300, blank=True)

    # Lower-cased text of every searchable field, so that one LIKE '%…%' finds Chinese words
    # inside sentences and English case-insensitively, the same on SQLite and PostgreSQL.
    search_text = models.TextField(editable=False, blank=True)

    current_step = models.ForeignKey(
        "Step", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["store", "number"], name="complaint_unique_number"),
            models.UniqueConstraint(
                fields=["store", "source", "source_ref"],
                condition=~models.Q(source_ref=""),
                name="complaint_unique_source_ref",
            ),
            models.CheckConstraint(
                condition=models.Q(tier__gte=1, tier__lte=3), name="complaint_tier_1_3"
            ),
        ]
        indexes = [
            # The list's default order within a store, and its status filter.
            models.Index(fields=["store", "-received_at"], name="complaint_store_received"),
            models.Index(fields=["store", "status"], name="complaint_store_status"),
        ]

    def __str__(self):
        return f"{self.number} {self.summary}"

    @property
    def is_open(self) -> bool:
        from complaintdesk.complaints.choices import OPEN_STATES

        return self.status in OPEN_STATES


class Step(models.Model):
    """One run of one workflow step on the clock: who owes it, from when, due when.

    Open steps (finished_at is null) are what the deadline sweep reads, through the partial
    index on due_at. A paused step has paused_at set and no due_at until it resumes.
    """

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("step"), max_length=30, choices=StepKind.choices)
    tier = models.PositiveSmallIntegerField(default=1)
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="steps",
    )
    track = models.CharField(max_length=10, choices=StepTrack.choices, default=StepTrack.WORKFLOW)
    started_at = models.DateTimeField()
    # The policy key (deadlines.policy.DEFAULT_POLICIES), its length and clock as applied.
    deadline = models.CharField(max_length=30, blank=True)
    amount = models.FloatField(null=True, blank=True)
    clock = models.CharField(max_length=10, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    warn_at = models.DateTimeField(null=True, blank=True)
    provisional = models.BooleanField(
        default=False, help_text=_("The calendar did not cover a day the due time needed.")
    )
    explanation = models.JSONField(default=dict, blank=True)
    # Set once by the sweep, in the transaction that records the warning / breach.
    warned_at = models.DateTimeField(null=True, blank=True)
    breached_at = models.DateTimeField(null=True, blank=True)
    # While waiting on the customer the clock stops: no due time, the rest kept in seconds of
    # the step's clock (wall time for elapsed, office time otherwise).
    paused_at = models.DateTimeField(null=True, blank=True)
    remaining_seconds = models.FloatField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    finished_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        indexes = [
            # The deadline sweep: open steps not yet recorded as breached, by due time.
            models.Index(
                fields=["due_at"],
                name="step_sweep_due",
                condition=models.Q(finished_at__isnull=True, breached_at__isnull=True),
            ),
            # The sweep's warnings: open steps not yet warned, by warning time.
            models.Index(
                fields=["warn_at"],
                name="step_sweep_warn",
                condition=models.Q(finished_at__isnull=True, warned_at__isnull=True),
            ),
            # "My work": open steps assigned to a person.
            models.Index(
                fields=["assignee", "due_at"],
                name="step_open_assignee",
                condition=models.Q(finished_at__isnull=True),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["complaint"],
                condition=models.Q(finished_at__isnull=True, track="workflow"),
                name="step_one_open_workflow_step",
            ),
            # A regulatory deadline of one kind is open at most once per complaint.
            models.UniqueConstraint(
                fields=["complaint", "kind"],
                condition=models.Q(finished_at__isnull=True, track="regulatory"),
                name="step_one_open_regulatory_kind",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.complaint_id})"


class ComplaintEvent(models.Model):
    """The append-only timeline: every change to a complaint, by whom, when, before and after.

    Written only by the service/transition functions, in the same transaction as the change.
    Rows are never updated or deleted.
    """

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="events")
    step = models.ForeignKey(
        Step, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=30, choices=EventKind.choices)
    action = models.CharField(max_length=30, blank=True)
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    changes = models.JSONField(default=dict, blank=True)  # field -> [before, after]
    data = models.JSONField(default=dict, blank=True)
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["complaint", "created_at"], name="event_complaint_time")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Complaint events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Complaint events are append-only")


class IdempotencyKey(models.Model):
    """A client's retry key: the same key from the same user returns the first complaint."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_unique_user_key")
        ]

    def __str__(self):
        return self.key


class ImportRun(models.Model):
    """One run of `complaintdesk import`: what file, how far, what came of it."""

    class RunStatus(models.TextChoices):
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+")
    file_name = models.CharField(max_length=300)
    sha256 = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.RUNNING)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.file_name} ({self.status})"
