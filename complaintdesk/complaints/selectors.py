"""Reads of complaints. Every path starts from Complaint.objects.visible_to(user)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from complaintdesk.complaints.choices import OPEN_STATES, Channel, Nature, Severity, Status
from complaintdesk.complaints.models import Complaint, ComplaintEvent
from complaintdesk.complaints.normalize import normalize_phone, normalize_plate
from complaintdesk.complaints.workflow import ACTIONS, STATE_STEP, STEP_MAIN_ACTION
from complaintdesk.core.errors import NotFound
from complaintdesk.org.selectors import grants_by_store, visible_store_ids

DUE_FILTERS = ("overdue", "1h")

LIST_RELATED = (
    "store",
    "vehicle",
    "customer",
    "current_step",
    "current_step__assignee",
    "concerned_department",
)


def get_complaint_for(user, pk) -> Complaint:
    """The single access check for one complaint: another store's id is simply not found."""
    try:
        return (
            Complaint.objects.visible_to(user)
            .select_related(*LIST_RELATED, "customer_manager")
            .get(pk=pk)
        )
    except (Complaint.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


@dataclass
class ComplaintFilter:
    status: list[str] | None = None
    nature: list[str] | None = None
    channel: list[str] | None = None
    severity: list[str] | None = None
    department: int | None = None
    store: int | None = None
    received_from: dt.date | None = None
    received_to: dt.date | None = None
    plate: str = ""
    q: str = ""
    open_only: bool = False
    due: str = ""  # "overdue" or "1h": the current step is past due / due within the hour
    # The reports' drill-downs (complaintdesk.reports.figures): each dashboard figure is a count
    # of this list with these fields set. "none" picks the complaints where the value is empty.
    local_from: dt.date | None = None  # received on or after this day of the store's calendar
    local_to: dt.date | None = None  # received on or before this day of the store's calendar
    reportable: bool = False  # not voided
    concerned_department: str = ""  # a department id or "none"
    vehicle_model: str = ""
    category: str = ""  # source_category (the fault as recorded at the source)
    staff: int | None = None  # one of the staff complained about
    closed: bool = False  # completed or archived (also a complaint entered already closed)
    repeat: bool = False  # same customer or vehicle within 90 days before
    step: str = ""  # has a workflow step of this kind that ran on a clock
    late_step: str = ""  # has a step of this kind finished after, or still open past, its due time
    missed_by: int | None = None  # a deadline missed (deadlines.Breach) by this person
    satisfied: str = ""  # "yes" / "no": a callback recorded the customer satisfied / not
    pending_age: str = ""  # a pending matter of this age bucket (reports.figures.PENDING_AGES)
    unset: str = ""  # "nature": complaints whose nature is not yet set


def complaint_list(user, f: ComplaintFilter | None = None) -> QuerySet[Complaint]:
    f = f or ComplaintFilter()
    qs = Complaint.objects.visible_to(user).select_related(*LIST_RELATED)
    if f.store:
        qs = qs.filter(store_id=f.store)
    if f.status:
        qs = qs.filter(status__in=[s for s in f.status if s in Status.values])
    if f.open_only:
        qs = qs.filter(status__in=OPEN_STATES)
    if f.nature:
        qs = qs.filter(nature__in=[n for n in f.nature if n in Nature.values])
    if f.channel:
        qs = qs.filter(channel__in=[c for c in f.channel if c in Channel.values])
    if f.severity:
        qs = qs.filter(severity__in=[s for s in f.severity if s in Severity.values])
    if f.department:
        qs = qs.filter(
            Q(concerned_department_id=f.department) | Q(responsible_department_id=f.department)
        )
    if f.received_from:
        qs = qs.filter(received_at__date__gte=f.received_from)
    if f.received_to:
        qs = qs.filter(received_at__date__lte=f.received_to)
    if f.plate:
        qs = qs.filter(vehicle__plate_normalized__contains=normalize_plate(f.plate))
    if f.due in DUE_FILTERS:
        now = timezone.now()
        qs = qs.filter(status__in=OPEN_STATES, current_step__paused_at__isnull=True)
        if f.due == "overdue":
            qs = qs.filter(current_step__due_at__lte=now)
        else:
            qs = qs.filter(current_step__due_at__gt=now, current_step__due_at__lte=now + dt.timedelta(hours=1))
    if _report_fields_set(f):
        from complaintdesk.reports.figures import apply_report_filter

        qs = apply_report_filter(qs, f, visible_store_ids(user))
    if f.q:
        # Substring match on the lower-cased search column: finds 刹车 inside 刹车异响严重 (no
        # whitespace tokenisation) and BRAKE in "brake noise", alike on SQLite and PostgreSQL.
        for term in f.q.lower().split()[:8]:
            phone = normalize_phone(term)
            cond = Q(search_text__contains=term)
            if len(phone) >= 7:
                cond |= Q(search_text__contains=phone)
            qs = qs.filter(cond)
    return qs


def _report_fields_set(f: ComplaintFilter) -> bool:
    return bool(
        f.local_from
        or f.local_to
        or f.reportable
        or f.concerned_department
        or f.vehicle_model
        or f.category
        or f.staff
        or f.closed
        or f.repeat
        or f.step
        or f.late_step
        or f.missed_by is not None
        or f.satisfied
        or f.pending_age
        or f.unset
    )


def my_work(user) -> QuerySet[Complaint]:
    """What this user must act on now, most urgent first: open complaints in their stores whose
    current step's main action (STEP_MAIN_ACTION) one of their roles may take at the
    complaint's tier; never complaints about themselves (SPEC §1 conflict of interest)."""
    cond = Q(pk__in=[])
    for store_id, roles in grants_by_store(user).items():
        for state, kind in STATE_STEP.items():
            act = ACTIONS[STEP_MAIN_ACTION[kind]]
            tiers = [t for t in (1, 2, 3) if roles & act.roles(Complaint(status=state, tier=t))]
            if tiers:
                cond |= Q(store_id=store_id, status=state, tier__in=tiers)
    qs = (
        Complaint.objects.visible_to(user)
        .filter(cond)
        .exclude(involved_staff=user)
        .select_related(*LIST_RELATED)
    )
    return qs.order_by(F("current_step__due_at").asc(nulls_last=True), "received_at", "id")


def timeline(complaint: Complaint) -> QuerySet[ComplaintEvent]:
    return complaint.events.select_related("actor", "step").order_by("created_at", "id")
