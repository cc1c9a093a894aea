"""Reads for pending matters, the reception flag and the callback queue. Every path starts from
Complaint.objects.visible_to(user) (the one store-scope predicate)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from complaintdesk.complaints.choices import (
    OPEN_STATES,
    UNDETERMINABLE_NATURES,
    EventKind,
    Status,
)
from complaintdesk.complaints.models import Complaint, ComplaintEvent
from complaintdesk.complaints.normalize import normalize_phone, normalize_plate, normalize_vin
from complaintdesk.core.errors import NotFound, ValidationFailed
from complaintdesk.followup.choices import SERIOUSLY_DISSATISFIED
from complaintdesk.followup.models import PendingMatter

MATTER_RELATED = (
    "complaint",
    "complaint__store",
    "complaint__customer",
    "complaint__vehicle",
    "complaint__customer_manager",
    "store",
)


def matters_visible_to(user) -> QuerySet[PendingMatter]:
    return PendingMatter.objects.filter(complaint__in=Complaint.objects.visible_to(user))


def get_matter_for(user, complaint_id) -> PendingMatter:
    """A complaint's pending matter, or NotFound for a missing one and another store's alike."""
    try:
        return (
            matters_visible_to(user).select_related(*MATTER_RELATED).get(complaint_id=complaint_id)
        )
    except (PendingMatter.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


@dataclass
class LedgerFilter:
    mine: bool = False  # the customer manager's ledger: the complaints they manage
    reason: str = ""
    manager: int | None = None
    min_age_days: int | None = None
    max_age_days: int | None = None
    contact_due_by: dt.date | None = None  # next contact on or before this day
    include_closed: bool = False


def pending_ledger(user, f: LedgerFilter | None = None, *, now=None) -> QuerySet[PendingMatter]:
    """SPEC §5's two ledgers: the customer manager's (f.mine) and the CS center's (all matters of
    the user's stores). Open means the complaint is still pending. Oldest first."""
    f = f or LedgerFilter()
    now = now or timezone.now()
    qs = (
        matters_visible_to(user)
        .exclude(complaint__involved_staff=user)
        .select_related(*MATTER_RELATED)
    )
    if not f.include_closed:
        qs = qs.filter(closed_at__isnull=True, complaint__status=Status.PENDING)
    if f.mine:
        qs = qs.filter(complaint__customer_manager=user)
    if f.reason in UNDETERMINABLE_NATURES:
        qs = qs.filter(reason=f.reason)
    if f.manager:
        qs = qs.filter(complaint__customer_manager_id=f.manager)
    if f.min_age_days is not None:
        qs = qs.filter(opened_at__lte=now - dt.timedelta(days=f.min_age_days))
    if f.max_age_days is not None:
        qs = qs.filter(opened_at__gte=now - dt.timedelta(days=f.max_age_days))
    if f.contact_due_by:
        qs = qs.filter(next_contact_on__lte=f.contact_due_by)
    return qs.order_by("opened_at", "id")


def age_days(matter: PendingMatter, now=None) -> int:
    """Whole days the matter has been pending (until it closed)."""
    end = matter.closed_at or now or timezone.now()
    return max(0, (end - matter.opened_at).days)


def matters_to_remind(store, day: dt.date) -> QuerySet[PendingMatter]:
    """SPEC §5: on the 4th the customer manager contacts every customer with a pending matter
    from the previous month — every matter still open that became pending before the 1st of the
    reminder's month (older ones carried over are listed again until the customer returns)."""
    month_start = dt.datetime.combine(day.replace(day=1), dt.time(0, 0), tzinfo=store.tz)
    return (
        PendingMatter.objects.filter(
            store=store,
            closed_at__isnull=True,
            complaint__status=Status.PENDING,
            opened_at__lt=month_start,
        )
        .select_related(*MATTER_RELATED)
        .order_by("opened_at", "id")
    )


# ---------------------------------------------------------------------------------------------
# The reception flag (SPEC §5): whoever receives a customer or vehicle sees its open matters.


@dataclass
class LookupResult:
    plate: str
    vin: str
    phone: str
    complaints: list[Complaint]
    matters: list[PendingMatter]


def lookup(user, *, plate: str = "", vin: str = "", phone: str = "") -> LookupResult:
    """Open complaints and pending matters of a vehicle (plate or VIN) or customer (phone),
    matched on the normalised values: 京A·12345 = 京a12345, +86 138-0013-8000 = 13800138000."""
    plate, vin, phone = normalize_plate(plate), normalize_vin(vin), normalize_phone(phone)
    if not (plate or vin or phone):
        raise ValidationFailed(_("Give a plate, a VIN or a phone number."), field="plate")
    if phone and len(phone) < 7:
        raise ValidationFailed(_("A phone number has at least 7 digits."), field="phone")
    cond = Q(pk__in=[])
    if plate:
        cond |= Q(vehicle__plate_normalized=plate)
    if vin:
        cond |= Q(vehicle__vin=vin)
    if phone:
        cond |= Q(customer__phone_normalized=phone)
    qs = Complaint.objects.visible_to(user).filter(status__in=OPEN_STATES)
    complaints = list(
        qs.filter(cond)
        .select_related("store", "vehicle", "customer", "current_step")
        .order_by("received_at", "id")
    )
    matters = list(
        PendingMatter.objects.filter(
            complaint__in=[c.pk for c in complaints if c.status == Status.PENDING],
            closed_at__isnull=True,
        ).select_related(*MATTER_RELATED)
    )
    return LookupResult(plate, vin, phone, complaints, matters)


# ---------------------------------------------------------------------------------------------
# The callback queue (SPEC §6).

# The events record_callback writes with its result (not the step-assignment event after it).
CALLBACK_KINDS = (EventKind.CALLBACK_ATTEMPT, EventKind.TRANSITION)


def callback_events(complaint: Complaint) -> list[ComplaintEvent]:
    return list(
        complaint.events.filter(action="record_callback", kind__in=CALLBACK_KINDS).order_by(
            "created_at", "id"
        )
    )


def owes_followup_callback(complaint: Complaint, events=None) -> bool:
    """A completed complaint whose customer was seriously dissatisfied at the last callback that
    reached them, with no callback since it was handled again (SPEC §6: a second callback, and
    more if needed) — also when the re-handling was not marked for callback."""
    if complaint.status != Status.COMPLETED:
        return False
    events = callback_events(complaint) if events is None else events
    reached = [e for e in events if e.data.get("reached")]
    if not reached:
        return False
    last = reached[-1]
    if last.data.get("satisfaction") != SERIOUSLY_DISSATISFIED:
        return False
    # The complaint was reopened by that callback; it is completed again now. A later
    # unreachable verdict ends the follow-up round.
    return not any(e.data.get("unreachable") for e in events if e.created_at > last.created_at)


@dataclass
class QueueItem:
    complaint: Complaint
    round: int  # 1 for the first callback of the complaint, 2 for the second…
    kind: str  # "completed", "after_service" or "followup"
    attempts: int  # unreached attempts in this round
    last_attempt_at: dt.datetime | None
    serious: bool  # a previous callback found the customer seriously dissatisfied


def callback_queue(user) -> list[QueueItem]:
    """Complaints owed a callback, most urgent first: completed forms marked for callback
    (status callback, due 24 h after completion), those that ended in compensation or further
    service (status callback, due 3 working days after), and completed complaints owed a second
    or later callback after serious dissatisfaction. Complaints still being handled never appear;
    nor do complaints about the user (SPEC §1)."""
    base = (
        Complaint.objects.visible_to(user)
        .exclude(involved_staff=user)
        .select_related("store", "vehicle", "customer", "current_step", "customer_manager")
    )
    in_callback = list(base.filter(status=Status.CALLBACK))
    serious_ids = set(
        ComplaintEvent.objects.filter(
            complaint__in=base.filter(status=Status.COMPLETED),
            action="record_callback",
            data__satisfaction=int(SERIOUSLY_DISSATISFIED),
        ).values_list("complaint_id", flat=True)
    )
    candidates = in_callback + list(base.filter(pk__in=serious_ids))
    events_by = {c.pk: [] for c in candidates}
    for e in ComplaintEvent.objects.filter(
        complaint_id__in=events_by, action="record_callback", kind__in=CALLBACK_KINDS
    ).order_by("created_at", "id"):
        events_by[e.complaint_id].append(e)
    items = []
    for c in candidates:
        events = events_by[c.pk]
        if c.status == Status.COMPLETED and not owes_followup_callback(c, events):
            continue
        since = c.current_step.started_at if c.current_step_id else None
        this_round = [e for e in events if since is None or e.created_at >= since]
        unreached = [e for e in this_round if not e.data.get("reached")]
        reached_before = [e for e in events if e.data.get("reached")]
        kind = (
            "followup"
            if c.status == Status.COMPLETED
            else "after_service"
            if c.current_step_id and c.current_step.deadline == "callback_after_service"
            else "completed"
        )
        items.append(
            QueueItem(
                complaint=c,
                round=len(reached_before) + 1,
                kind=kind,
                attempts=len(unreached),
                last_attempt_at=unreached[-1].created_at if unreached else None,
                serious=any(
                    e.data.get("satisfaction") == SERIOUSLY_DISSATISFIED for e in reached_before
                ),
            )
        )
    items.sort(key=lambda i: (_queue_time(i), i.complaint.pk))
    return items


def _queue_time(item: QueueItem) -> dt.datetime:
    """A callback is ordered by its step's due time; a follow-up callback (no step of its own) by
    when the complaint was completed again."""
    c = item.complaint
    if item.kind != "followup" and c.current_step_id and c.current_step.due_at:
        return c.current_step.due_at
    return c.closed_at or c.received_at
