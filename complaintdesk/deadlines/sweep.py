"""The deadline sweep: warnings, breaches, escalation; and recomputing due times after a change.

Safe to run from several workers at once and to re-run after a crash: steps are handled in
batches, each in one transaction that locks the batch's step rows (skipping rows another worker
holds), records each warning / breach under a unique constraint and marks the step in the same
commit. A crash before the commit leaves nothing of the batch behind, so the next run does it;
after the commit those steps no longer match the sweep's query, so nothing is done twice. Notifications are written in the same
transaction (an outbox), so they go out exactly when the breach is on record.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from complaintdesk.complaints.choices import EventKind, Severity, StepTrack
from complaintdesk.complaints.models import Complaint, ComplaintEvent, Step
from complaintdesk.complaints.workflow import MAX_TIER, TIER_ROLES, _iso, set_tier_by_system
from complaintdesk.deadlines import schedule
from complaintdesk.deadlines.models import Breach
from complaintdesk.deadlines.policy import store_calendar
from complaintdesk.org.models import Role, Store
from complaintdesk.org.selectors import users_with_roles


@dataclass
class SweepResult:
    warnings: int = 0
    breaches: int = 0
    seconds: float = 0.0


def _notify(**kwargs) -> None:
    from complaintdesk.notifications.services import notify

    store = kwargs["store"]
    notify(cal=_calendar(store), **kwargs)


_CALENDARS: dict[int, tuple[float, object]] = {}


def _calendar(store: Store):
    """A store's calendar, reused for a few seconds: one sweep touches many steps of one store,
    and loading the national calendar for each would dominate the sweep's time."""
    cached = _CALENDARS.get(store.pk)
    if cached is None or time.monotonic() - cached[0] > 5:
        cached = (time.monotonic(), store_calendar(store))
        _CALENDARS[store.pk] = cached
    return cached[1]


def sweep(now: dt.datetime | None = None, *, limit: int = 5000) -> SweepResult:
    """One pass: every open step past its warning time, then every one past its due time."""
    started = time.perf_counter()
    now = now or timezone.now()
    result = SweepResult()
    warn_ids = list(
        Step.objects.filter(finished_at__isnull=True, warned_at__isnull=True, warn_at__lte=now)
        .order_by("warn_at")
        .values_list("pk", flat=True)[:limit]
    )
    for chunk in _chunks(warn_ids):
        with transaction.atomic():
            for step in _lock_steps(chunk, warned_at__isnull=True, warn_at__lte=now):
                result.warnings += _warn(step, now)
    due_ids = list(
        Step.objects.filter(finished_at__isnull=True, breached_at__isnull=True, due_at__lte=now)
        .order_by("due_at")
        .values_list("pk", flat=True)[:limit]
    )
    for chunk in _chunks(due_ids):
        with transaction.atomic():
            for step in _lock_steps(chunk, breached_at__isnull=True, due_at__lte=now):
                result.breaches += _breach(step, now)
    result.seconds = time.perf_counter() - started
    return result


# Steps handled per transaction: a crash rolls back at most one batch, which the next run redoes;
# one commit per step would make a burst after an outage pay a disk flush per step.
BATCH = 100


def _chunks(ids: list, size: int = BATCH):
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _lock_steps(ids, **conditions) -> list[Step]:
    """Lock the steps that still match (another worker may hold or have done some: skipped)."""
    return list(
        Step.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("complaint__store", "assignee", "department")
        .filter(pk__in=ids, finished_at__isnull=True, **conditions)
        .order_by("pk")
    )


def _record(step: Step, kind: str, now, **fields) -> bool:
    """Insert the breach row once; an existing withdrawn one is put back on record."""
    try:
        with transaction.atomic():
            Breach.objects.create(
                step=step,
                complaint_id=step.complaint_id,
                kind=kind,
                responsible=step.assignee,
                due_at=step.due_at if kind == Breach.Kind.BREACH else step.warn_at,
                detected_at=now,
                **fields,
            )
        return True
    except IntegrityError:
        return bool(
            Breach.objects.filter(step=step, kind=kind, withdrawn_at__isnull=False).update(
                withdrawn_at=None, detected_at=now, responsible=step.assignee, **fields
            )
        )


def _system_event(step: Step, kind: str, action: str, data: dict, now) -> None:
    """A timeline event the sweep writes for a step (no actor: the system), status unchanged."""
    c = step.complaint
    ComplaintEvent.objects.create(
        complaint=c,
        step=step,
        actor=None,
        kind=kind,
        action=action,
        from_status=c.status,
        to_status=c.status,
        data=data,
        created_at=now,
    )


def _people(store: Store, roles, complaint: Complaint) -> list:
    """Holders of these roles in the store, minus the people the complaint is about. The role
    holders are looked up once per store and role set for a few seconds (a sweep after an outage
    touches hundreds of steps of the same store)."""
    key = (store.pk, frozenset(roles))
    cached = _PEOPLE.get(key)
    if cached is None or time.monotonic() - cached[0] > 5:
        cached = (time.monotonic(), list(users_with_roles(store, roles)))
        _PEOPLE[key] = cached
    involved = set(complaint.involved_staff.values_list("pk", flat=True))
    return [u for u in cached[1] if u.pk not in involved]


_PEOPLE: dict[tuple, tuple[float, list]] = {}


def _warn(step: Step, now) -> int:
    """Called under the step's row lock, inside the batch's transaction."""
    step.warned_at = now
    step.save(update_fields=["warned_at"])
    if step.due_at is not None and step.due_at <= now:
        return 0  # already past due: the breach, in this same pass, says it all
    if not _record(step, Breach.Kind.WARNING, now):
        return 0
    c = step.complaint
    _system_event(
        step,
        EventKind.DEADLINE_WARNING,
        "sweep",
        {
            "step": step.kind,
            "due_at": _iso(step.due_at),
            "assignee_name": str(step.assignee or ""),
        },
        now,
    )
    recipients = [step.assignee] if step.assignee else _people(c.store, {Role.CS_DIRECTOR}, c)
    _notify(
        recipients=recipients,
        store=c.store,
        complaint=c,
        kind="warning",
        title=_("Due soon: %(number)s %(step)s")
        % {"number": c.number, "step": step.get_kind_display()},
        body=_("Due at %(due)s. %(summary)s")
        % {
            "due": timezone.localtime(step.due_at, c.store.tz).strftime("%Y-%m-%d %H:%M"),
            "summary": c.summary,
        },
        urgent=c.severity == Severity.CRITICAL,
        dedupe_key=f"warning:{step.pk}",
        now=now,
    )
    return 1


def _breach(step: Step, now) -> int:
    """Called under the step's row lock, inside the batch's transaction."""
    c = (
        Complaint.objects.select_for_update(of=("self",))
        .select_related("store")
        .get(pk=step.complaint_id)
    )
    step.complaint = c
    tier_before = c.tier
    escalate = step.track == StepTrack.WORKFLOW and c.tier < MAX_TIER
    tier_after = tier_before + 1 if escalate else tier_before
    if not _record(step, Breach.Kind.BREACH, now, tier_before=tier_before, tier_after=tier_after):
        step.breached_at = now
        step.save(update_fields=["breached_at"])
        return 0
    responsible = step.assignee
    step.breached_at = now
    step.warned_at = step.warned_at or now
    step.save(update_fields=["breached_at", "warned_at"])
    late = now - step.due_at
    _system_event(
        step,
        EventKind.DEADLINE_BREACHED,
        "sweep",
        {
            "step": step.kind,
            "due_at": _iso(step.due_at),
            "late_minutes": int(late.total_seconds() // 60),
            "responsible": responsible.pk if responsible else None,
            "responsible_name": str(responsible or ""),
        },
        now,
    )
    if escalate:
        # SPEC §1: a missed deadline raises the complaint a tier.
        set_tier_by_system(
            c,
            tier_after,
            reason=_("Deadline missed: %(step)s") % {"step": step.get_kind_display()},
            now=now,
        )
    if step.track == StepTrack.WORKFLOW:
        _hand_to_secondary(step, now)
    people = {u.pk: u for u in _people(c.store, TIER_ROLES[c.tier] - {Role.CALLBACK_AGENT}, c)}
    if step.assignee:
        people[step.assignee.pk] = step.assignee
    if step.track == StepTrack.REGULATORY:
        people.update(
            {u.pk: u for u in _people(c.store, {Role.CS_DIRECTOR, Role.GENERAL_MANAGER}, c)}
        )
    _notify(
        recipients=list(people.values()),
        store=c.store,
        complaint=c,
        kind="breach",
        title=_("Deadline missed: %(number)s %(step)s")
        % {"number": c.number, "step": step.get_kind_display()},
        body=_(
            "Was due at %(due)s (%(late)d min ago); responsible: %(who)s; now tier %(tier)d. %(summary)s"
        )
        % {
            "due": timezone.localtime(step.due_at, c.store.tz).strftime("%Y-%m-%d %H:%M"),
            "late": int(late.total_seconds() // 60),
            "who": str(responsible or "—"),
            "tier": c.tier,
            "summary": c.summary,
        },
        urgent=True,
        dedupe_key=f"breach:{step.pk}",
        now=now,
    )
    return 1


def _hand_to_secondary(step: Step, now) -> None:
    """SPEC §1/issue: the primary's miss hands the step to the secondary responsible person."""
    from complaintdesk.complaints.services import reassign_step

    dept = step.department
    if dept is None or step.assignee_id is None or step.assignee_id != dept.primary_id:
        return
    secondary = dept.secondary
    if secondary is None or not secondary.is_active or secondary.is_absent:
        return
    if step.complaint.involved_staff.filter(pk=secondary.pk).exists():
        return
    reassign_step(step, actor=None, to=secondary, now=now)


def recompute_open_steps(*, store: Store | None = None, now: dt.datetime | None = None) -> int:
    """After a calendar or policy change: new due times for open steps (closed ones keep theirs),
    and warnings / escalations that no longer apply are withdrawn. Returns how many moved."""
    now = now or timezone.now()
    stores = [store] if store is not None else list(Store.objects.all())
    moved = 0
    for st in stores:
        cal = store_calendar(st)
        steps = (
            Step.objects.filter(
                complaint__store=st, finished_at__isnull=True, paused_at__isnull=True
            )
            .exclude(deadline="")
            .select_related("complaint__store")
        )
        for step_id in steps.values_list("pk", flat=True):
            with transaction.atomic():
                step = (
                    Step.objects.select_for_update(of=("self",))
                    .select_related("complaint__store")
                    .get(pk=step_id)
                )
                before = step.due_at
                if not schedule.recompute(step, cal=cal):
                    continue
                step.save()
                moved += 1
                _system_event(
                    step,
                    EventKind.DEADLINE_RECOMPUTED,
                    "recompute",
                    {
                        "due_at": [_iso(before), _iso(step.due_at)],
                        "provisional": step.provisional,
                    },
                    now,
                )
                _withdraw_if_no_longer_due(step, now)
    return moved


def _withdraw_if_no_longer_due(step: Step, now) -> None:
    c = step.complaint
    if step.warned_at and step.warn_at and step.warn_at > now:
        Breach.objects.filter(
            step=step, kind=Breach.Kind.WARNING, withdrawn_at__isnull=True
        ).update(withdrawn_at=now)
        step.warned_at = None
        step.save(update_fields=["warned_at"])
    if step.breached_at and step.due_at and step.due_at > now:
        breach = Breach.objects.filter(
            step=step, kind=Breach.Kind.BREACH, withdrawn_at__isnull=True
        ).first()
        step.breached_at = None
        step.save(update_fields=["breached_at"])
        if breach is None:
            return
        breach.withdrawn_at = now
        breach.save(update_fields=["withdrawn_at"])
        _system_event(
            step,
            EventKind.ESCALATION_WITHDRAWN,
            "recompute",
            {"step": step.kind, "due_at": _iso(step.due_at)},
            now,
        )
        locked = Complaint.objects.select_for_update(of=("self",)).get(pk=c.pk)
        if (
            breach.tier_after
            and breach.tier_before
            and locked.tier == breach.tier_after > breach.tier_before
        ):
            set_tier_by_system(
                locked,
                breach.tier_before,
                reason=_("Escalation withdrawn: the deadline moved"),
                now=now,
            )
