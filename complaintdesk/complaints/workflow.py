"""Workflow A and B (SPEC §4–§5) as one explicit state machine.

Each action is one function registered in ACTIONS with the states it may start from and the
roles that may take it. `perform()` is the only way to run one: it locks the complaint row,
checks state, store, role and conflict of interest, lets the action validate its input and
change fields, then closes the current step, opens the next one with its due time and
assignee, and writes the timeline event — all in one transaction. Nothing else assigns
`status`, `tier` or `current_step`.

Due times come from the store's deadline policy and calendar (complaintdesk.deadlines); the
deadline sweep reads the Step rows this module writes.
"""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from complaintdesk.complaints.choices import (
    MIN_TIER_FOR_SEVERITY,
    OPEN_STATES,
    TERMINAL_STATES,
    EventKind,
    Status,
    StepKind,
)
from complaintdesk.complaints.models import Complaint, ComplaintEvent, Step
from complaintdesk.core.errors import (
    ConflictOfInterest,
    InvalidTransition,
    NotFound,
    NotPermitted,
    StaleVersion,
    ValidationFailed,
)
from complaintdesk.core.text import join_list
from complaintdesk.deadlines import schedule
from complaintdesk.deadlines.schedule import STEP_DEADLINE
from complaintdesk.org.models import Department, DepartmentKind, Role, User
from complaintdesk.org.selectors import department_of, roles_in_store, users_with_roles

MAX_TIER = 3

# SPEC §1: the three handling tiers. The CS director sits in every tier as neutral third party.
TIER_ROLES: dict[int, frozenset[str]] = {
    1: frozenset({Role.CS_DIRECTOR, Role.SERVICE_ADVISOR, Role.CALLBACK_AGENT}),
    2: frozenset({Role.CS_DIRECTOR, Role.DEPARTMENT_MANAGER, Role.TECHNICAL_DIRECTOR}),
    3: frozenset({Role.CS_DIRECTOR, Role.GENERAL_MANAGER}),
}

# Which state runs which step on the clock.
STATE_STEP: dict[str, str] = {
    Status.RECEIVED: StepKind.REGISTER,
    Status.INVESTIGATING: StepKind.DETERMINE,
    Status.PENDING_APPROVAL: StepKind.APPROVE_PENDING,
    Status.PENDING: StepKind.PENDING,
    Status.MANAGEMENT_REVIEW: StepKind.REVIEW,
    Status.GM_DECISION: StepKind.DECIDE,
    Status.ACCOUNTABILITY: StepKind.ACCOUNTABILITY,
    Status.CALLBACK: StepKind.CALLBACK,
    Status.COMPLETED: StepKind.ARCHIVE,
}

# Which department's primary/secondary responsible person owns each step.
STEP_DEPARTMENT: dict[str, str] = {
    StepKind.REGISTER: DepartmentKind.CS_CENTER,
    StepKind.DETERMINE: DepartmentKind.CS_CENTER,
    StepKind.APPROVE_PENDING: DepartmentKind.GM_OFFICE,
    StepKind.PENDING: DepartmentKind.CS_CENTER,
    StepKind.REVIEW: DepartmentKind.MANAGEMENT,
    StepKind.DECIDE: DepartmentKind.GM_OFFICE,
    StepKind.ACCOUNTABILITY: DepartmentKind.MANAGEMENT,
    StepKind.CALLBACK: DepartmentKind.CS_CENTER,
    StepKind.ARCHIVE: DepartmentKind.CS_CENTER,
}

# Fields whose before/after the timeline records when an action changes them.
TRACKED_FIELDS = (
    "nature",
    "severity",
    "tier",
    "concerned_department_id",
    "customer_manager_id",
    "responsible_department_id",
    "responsible_staff_note",
    "responsibility_finding",
    "handling_opinion",
    "remedies",
    "customer_informed",
    "callback_required",
    "management_opinion",
    "management_agreed",
    "gm_decision",
    "accountability_note",
    "outcome",
    "outcome_explanation",
    "void_reason",
)

MAX_TEXT = 20_000


@dataclass
class Result:
    """What an action decided: where the complaint goes (None: stays) and what to record."""

    target: str | None = None
    comment: str = ""
    event_kind: str = EventKind.TRANSITION
    data: dict = field(default_factory=dict)
    new_step: bool = False  # restart the clock although the state does not change
    deadline: str | None = None  # policy key overriding the step's default deadline


@dataclass(frozen=True)
class Action:
    name: str
    label: Promise
    sources: frozenset[str]
    roles: Callable[[Complaint], frozenset[str]]
    apply: Callable[..., Result]
    params: tuple[str, ...]
    style: str = "primary"
    # A side action keeps the complaint where it is (raise a tier, stop the clock, a regulatory
    # record…): it does not put the complaint on anyone's "my work" list.
    side: bool = False
    # Whether the action makes sense now (the clock is running, a request is open…): only for
    # offering it; the action itself still refuses with a clear message.
    when: Callable[[Complaint], bool] | None = None


ACTIONS: dict[str, Action] = {}


def action(name, *, label, sources, roles, style="primary", side=False, when=None):
    """Register an action. `roles` is a set of roles or a function of the complaint."""
    roles_fn = roles if callable(roles) else (lambda _c, _r=frozenset(roles): _r)

    def register(fn):
        params = tuple(
            p.name for p in inspect.signature(fn).parameters.values() if p.kind is p.KEYWORD_ONLY
        )
        ACTIONS[name] = Action(
            name, label, frozenset(sources), roles_fn, fn, params, style, side, when
        )
        return fn

    return register


# ---------------------------------------------------------------------------------------------
# The machinery.


def _iso(value):
    """Times inside event data are written in UTC, like every stored timestamp."""
    return value.astimezone(dt.UTC).isoformat() if value else None


def _is_involved(complaint: Complaint, user) -> bool:
    return complaint.pk is not None and complaint.involved_staff.filter(pk=user.pk).exists()


def _raise_tier(c: Complaint, actor, reason) -> None:
    if c.tier < MAX_TIER:
        c.tier += 1
        c._tier_reason = str(reason)


def set_tier_by_system(c: Complaint, tier: int, *, reason, now) -> None:
    """The system's own tier change (a missed deadline, a withdrawn escalation): the caller holds
    the complaint's row lock; the timeline records it with no actor."""
    tier = max(1, min(MAX_TIER, tier))
    if tier == c.tier:
        return
    before = c.tier
    c.tier = tier
    c.version += 1
    c.save(update_fields=["tier", "version", "updated_at"])
    ComplaintEvent.objects.create(
        complaint=c,
        actor=None,
        kind=EventKind.TIER_CHANGED,
        action="system",
        from_status=c.status,
        to_status=c.status,
        changes={"tier": [before, tier]},
        comment=str(reason),
        created_at=now,
    )


def _apply_severity_tier(c: Complaint) -> None:
    c.tier = max(c.tier, MIN_TIER_FOR_SEVERITY[c.severity])


def check_actor(complaint: Complaint, actor, act: Action) -> None:
    """Role in this store and conflict of interest; raises NotPermitted / ConflictOfInterest."""
    if _is_involved(complaint, actor):
        raise ConflictOfInterest()
    if not (roles_in_store(actor, complaint.store) & act.roles(complaint)):
        raise NotPermitted(
            _("“%(action)s” needs one of these roles in this store: %(roles)s")
            % {
                "action": act.label,
                "roles": join_list(Role(r).label for r in sorted(act.roles(complaint))),
            }
        )


def available_actions(complaint: Complaint, user) -> list[Action]:
    """Exactly the actions this user may take on this complaint now (the UI shows these)."""
    if complaint.status in TERMINAL_STATES or _is_involved(complaint, user):
        return []
    roles = roles_in_store(user, complaint.store)
    return [
        act
        for act in ACTIONS.values()
        if complaint.status in act.sources
        and roles & act.roles(complaint)
        and (act.when is None or act.when(complaint))
    ]


# The action that finishes each step: whoever gets the step must be able to take it.
STEP_MAIN_ACTION: dict[str, str] = {
    StepKind.REGISTER: "accept",
    StepKind.DETERMINE: "determine",
    StepKind.APPROVE_PENDING: "approve_pending",
    StepKind.PENDING: "resume",
    StepKind.REVIEW: "review",
    StepKind.DECIDE: "decide",
    StepKind.ACCOUNTABILITY: "complete",
    StepKind.CALLBACK: "record_callback",
    StepKind.ARCHIVE: "archive",
}


def assignee_for(complaint: Complaint, kind: str) -> tuple[Department | None, User | None]:
    """The department that owns a step and the person it goes to.

    In order: the form's customer manager (responsibility step), the department's primary, then
    its secondary responsible person (SPEC §1: when the primary is absent, the secondary), then
    anyone else in the store who holds a role that can finish the step. Absent people and people
    involved in the complaint are skipped. None leaves the step in the team's queue.
    """
    exclude = set(complaint.involved_staff.values_list("pk", flat=True))
    department = department_of(complaint.store, STEP_DEPARTMENT[kind])
    qualifying = ACTIONS[STEP_MAIN_ACTION[kind]].roles(complaint)
    candidates = []
    if kind == StepKind.DETERMINE and complaint.customer_manager_id:
        candidates.append(complaint.customer_manager)
    if department is not None:
        candidates += [department.primary, department.secondary]
    for person in candidates:
        if (
            person is not None
            and person.is_active
            and not person.is_absent
            and person.pk not in exclude
            and roles_in_store(person, complaint.store) & qualifying
        ):
            return department, person
    others = (
        users_with_roles(complaint.store, qualifying)
        .filter(is_absent=False)
        .exclude(pk__in=exclude)
        .order_by("pk")
    )
    return department, others.first()


def open_step(complaint: Complaint, *, now, started_at=None, deadline=None) -> Step | None:
    """Open the step of the complaint's current state, with its due time and assignee."""
    kind = STATE_STEP.get(complaint.status)
    if kind is None:
        return None
    department, person = assignee_for(complaint, kind)
    step = Step(
        complaint=complaint,
        kind=kind,
        tier=complaint.tier,
        department=department,
        assignee=person,
        started_at=started_at or now,
    )
    schedule.schedule(step, deadline=deadline or STEP_DEADLINE[kind], start=step.started_at)
    step.save()
    return step


def _snapshot(c: Complaint) -> dict:
    return {name: getattr(c, name) for name in TRACKED_FIELDS}


def _diff(before: dict, after: dict) -> dict:
    def plain(v):
        return list(v) if isinstance(v, (list, tuple)) else v

    return {k: [plain(before[k]), plain(after[k])] for k in before if before[k] != after[k]}


def lock_complaint(complaint_id, actor) -> Complaint:
    """Lock the row for the rest of the transaction; another store's id is simply not found."""
    try:
        return (
            Complaint.objects.visible_to(actor)
            .select_for_update(of=("self",))
            .select_related("store", "current_step", "customer_manager")
            .get(pk=complaint_id)
        )
    except (Complaint.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def perform(
    name: str, complaint_id, *, actor, expected_version: int | None = None, **params
) -> Complaint:
    """Run one action on one complaint for one actor. The only way a complaint changes state."""
    act = ACTIONS.get(name)
    if act is None:
        raise NotFound(_("Unknown action: %(name)s") % {"name": name})
    unknown = set(params) - set(act.params)
    if unknown:
        raise ValidationFailed(errors={k: [_("Unexpected field.")] for k in sorted(unknown)})
    with transaction.atomic():
        c = lock_complaint(complaint_id, actor)
        if expected_version is not None and expected_version != c.version:
            raise StaleVersion()
        # The person complained about hears "not yours" whatever the state (SPEC §1).
        if _is_involved(c, actor):
            raise ConflictOfInterest()
        if c.status not in act.sources:
            raise InvalidTransition(
                _("“%(action)s” is not possible while the complaint is “%(status)s”.")
                % {"action": act.label, "status": c.get_status_display()}
            )
        check_actor(c, actor, act)
        missing = [
            p.name
            for p in inspect.signature(act.apply).parameters.values()
            if p.kind is p.KEYWORD_ONLY and p.default is p.empty and p.name not in params
        ]
        if missing:
            raise ValidationFailed(errors={k: [_("This field is required.")] for k in missing})
        before = _snapshot(c)
        from_status = c.status
        result = act.apply(c, actor, **params)
        now = timezone.now()
        _record(c, actor, act.name, result, before, from_status, now)
    return c


def _record(
    c: Complaint, actor, action_name: str, result: Result, before: dict, from_status, now
) -> None:
    old_step = c.current_step
    moved = result.target is not None and result.target != from_status
    if result.target is not None:
        c.status = result.target
    restart = result.target is not None or result.new_step
    tier_reason = getattr(c, "_tier_reason", None)
    if restart and old_step is not None:
        old_step.finished_at = now
        old_step.finished_by = actor
        old_step.save(update_fields=["finished_at", "finished_by"])
    if c.status in TERMINAL_STATES or (c.status == Status.COMPLETED and moved):
        c.closed_at = c.closed_at or now
    elif c.status in OPEN_STATES:
        c.closed_at = None
    if restart:
        c.current_step = open_step(c, now=now, deadline=result.deadline)
    _close_regulatory_on(c, actor, now)
    c.version += 1
    c.search_text = build_search_text(c)
    c.save()
    changes = _diff(before, _snapshot(c))
    ComplaintEvent.objects.create(
        complaint=c,
        step=old_step,
        actor=actor,
        kind=result.event_kind,
        action=action_name,
        from_status=from_status,
        to_status=c.status,
        changes=changes,
        data=result.data,
        comment=result.comment,
        created_at=now,
    )
    if tier_reason is not None and "tier" in changes:
        ComplaintEvent.objects.create(
            complaint=c,
            actor=actor,
            kind=EventKind.TIER_CHANGED,
            action=action_name,
            from_status=c.status,
            to_status=c.status,
            changes={"tier": changes["tier"]},
            comment=tier_reason,
            created_at=now,
        )
    if restart and c.current_step is not None:
        step = c.current_step
        ComplaintEvent.objects.create(
            complaint=c,
            step=step,
            actor=None,
            kind=EventKind.ASSIGNED,
            action=action_name,
            from_status=c.status,
            to_status=c.status,
            data={
                "step": step.kind,
                "assignee": step.assignee_id,
                "assignee_name": str(step.assignee) if step.assignee else "",
                "department": step.department_id,
                "due_at": _iso(step.due_at),
                "deadline": step.deadline,
                "clock": step.clock,
                "amount": step.amount,
                "provisional": step.provisional,
            },
            created_at=now,
        )


def _close_regulatory_on(c: Complaint, actor, now) -> None:
    """The consumer has been told once responsibility is told to them or the form is complete;
    a closed or voided complaint owes no regulatory deadline any more."""
    from complaintdesk.complaints.regulatory import close_regulatory

    if c.status in TERMINAL_STATES:
        close_regulatory(c, [k for k, _label in StepKind.choices], actor=actor, now=now)
    elif c.status == Status.COMPLETED or c.customer_informed:
        close_regulatory(c, [StepKind.CONSUMER_NOTICE], actor=actor, now=now)


def build_search_text(c: Complaint) -> str:
    parts = [
        c.number,
        c.summary,
        c.description,
        c.result_so_far,
        c.customer_demand,
        c.location,
        c.contact_name,
        c.contact_phone,
        c.repair_order,
        c.sales_contract,
        c.involved_staff_note,
        c.source_ref,
    ]
    parts += [c.customer_name, c.customer_phone, c.plate, c.vin, c.vehicle_brand, c.vehicle_model]
    if c.customer_id:
        parts.append(c.customer.phone_normalized)
    if c.vehicle_id:
        parts.append(c.vehicle.plate_normalized)
    return "\n".join(p for p in parts if p).lower()


__all__ = ["ACTIONS", "Action", "available_actions", "check_actor", "perform", "open_step"]


# The actions register themselves in ACTIONS when imported; importing them here means that
# anything that imports the workflow sees every action.
from complaintdesk.complaints import actions as _actions  # noqa: E402,F401
from complaintdesk.complaints import regulatory as _regulatory  # noqa: E402,F401
from complaintdesk.reports import actions as _report_actions  # noqa: E402,F401
