"""Workflow A and B (SPEC §4–§5) as one explicit state machine.

Each action is one function registered in ACTIONS with the states it may start from and the
roles that may take it. `perform()` is the only way to run one: it locks the complaint row,
checks state, store, role and conflict of interest, lets the action validate its input and
change fields, then closes the current step, opens the next one with its due time and
assignee, and writes the timeline event — all in one transaction. Nothing else assigns
`status`, `tier` or `current_step`.

Deadlines here are plain elapsed hours from SPEC §4 (STEP_HOURS); the store calendar and
escalation on breach build on the Step rows this module writes.
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
    UNDETERMINABLE_NATURES,
    EventKind,
    Nature,
    Outcome,
    Remedy,
    Severity,
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
from complaintdesk.org.models import CS_CENTER_ROLES, Department, DepartmentKind, Role, User
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

# SPEC §4 deadlines in elapsed hours. None: the step has no deadline of its own (a pending
# matter waits for the customer; the archive check is the CS center's supervision).
STEP_HOURS: dict[str, int | None] = {
    StepKind.REGISTER: 1,  # report within 1 h of receipt
    StepKind.DETERMINE: 24,  # 48 h when the customer could not be reached (mark_unreachable)
    StepKind.APPROVE_PENDING: 4,  # not in SPEC; as fast as the other GM step
    StepKind.PENDING: None,
    StepKind.REVIEW: 4,
    StepKind.DECIDE: 4,
    StepKind.ACCOUNTABILITY: 8,
    StepKind.CALLBACK: 24,  # within 24 h after completion
    StepKind.ARCHIVE: None,
}
DETERMINE_HOURS_UNREACHABLE = 48

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
    step_hours: int | None = None  # override the step's default deadline


@dataclass(frozen=True)
class Action:
    name: str
    label: Promise
    sources: frozenset[str]
    roles: Callable[[Complaint], frozenset[str]]
    apply: Callable[..., Result]
    params: tuple[str, ...]
    style: str = "primary"


ACTIONS: dict[str, Action] = {}


def action(name, *, label, sources, roles, style="primary"):
    """Register an action. `roles` is a set of roles or a function of the complaint."""
    roles_fn = roles if callable(roles) else (lambda _c, _r=frozenset(roles): _r)

    def register(fn):
        params = tuple(
            p.name for p in inspect.signature(fn).parameters.values() if p.kind is p.KEYWORD_ONLY
        )
        ACTIONS[name] = Action(name, label, frozenset(sources), roles_fn, fn, params, style)
        return fn

    return register


# ---------------------------------------------------------------------------------------------
# Input helpers: every action validates its own input and reports the field that is wrong.


def _text(errors, name, value, *, required=False, max_length=MAX_TEXT) -> str:
    value = (value or "").strip() if isinstance(value, str) or value is None else str(value)
    if required and not value:
        errors.setdefault(name, []).append(_("This field is required."))
    elif len(value) > max_length:
        errors.setdefault(name, []).append(
            _("At most %(n)d characters (got %(got)d).") % {"n": max_length, "got": len(value)}
        )
    return value


def _choice(errors, name, value, choices, *, required=True):
    if value in (None, ""):
        if required:
            errors.setdefault(name, []).append(_("This field is required."))
        return ""
    if value not in choices.values:
        errors.setdefault(name, []).append(
            _("Unknown value %(value)r; expected one of: %(values)s")
            % {"value": value, "values": ", ".join(choices.values)}
        )
        return ""
    return value


def _department(errors, name, complaint, value, *, required=False) -> Department | None:
    if value in (None, ""):
        if required:
            errors.setdefault(name, []).append(_("This field is required."))
        return None
    dept = (
        Department.objects.filter(pk=value, store_id=complaint.store_id).first()
        if str(value).isdigit()
        else None
    )
    if dept is None:
        errors.setdefault(name, []).append(_("No such department in this store."))
    return dept


def _raise(errors):
    if errors:
        raise ValidationFailed(errors=errors)


# ---------------------------------------------------------------------------------------------
# Roles per action.


def _determine_roles(complaint: Complaint) -> frozenset[str]:
    # SPEC §4: the customer manager with the department; from tier 2 the department manager and
    # technical director, at tier 3 the GM, with the CS director in every tier (SPEC §1).
    return (frozenset({Role.CUSTOMER_MANAGER}) | TIER_ROLES[complaint.tier]) - {Role.CALLBACK_AGENT}


CALLBACK_ROLES = frozenset({Role.CALLBACK_AGENT, Role.CS_SPECIALIST, Role.CS_DIRECTOR})
MANAGEMENT_ROLES = frozenset({Role.MANAGEMENT})
GM_ROLES = frozenset({Role.GENERAL_MANAGER})


# ---------------------------------------------------------------------------------------------
# The actions. Each gets the locked complaint and the actor, validates, changes fields and
# returns a Result; perform() does the rest.


@action("accept", label=_("Register the form"), sources={Status.RECEIVED}, roles=CS_CENTER_ROLES)
def _accept(
    c,
    actor,
    *,
    nature,
    severity=Severity.ORDINARY,
    concerned_department=None,
    customer_manager=None,
    comment="",
):
    """SPEC §2: the CS center / customer manager fills the feedback form and judges the nature."""
    errors: dict = {}
    c.nature = _choice(errors, "nature", nature, Nature)
    c.severity = _choice(errors, "severity", severity or Severity.ORDINARY, Severity)
    dept = _department(errors, "concerned_department", c, concerned_department)
    manager = None
    if customer_manager not in (None, ""):
        manager = (
            User.objects.filter(pk=customer_manager).first()
            if str(customer_manager).isdigit()
            else None
        )
        if manager is None or Role.CUSTOMER_MANAGER not in roles_in_store(manager, c.store):
            errors.setdefault("customer_manager", []).append(
                _("Not a customer manager of this store.")
            )
        elif _is_involved(c, manager):
            errors.setdefault("customer_manager", []).append(ConflictOfInterest.default_message)
    comment = _text(errors, "comment", comment)
    _raise(errors)
    c.concerned_department = dept
    if manager is None and Role.CUSTOMER_MANAGER in roles_in_store(actor, c.store):
        manager = actor
    c.customer_manager = manager
    c.filled_by = actor
    _apply_severity_tier(c)
    return Result(Status.INVESTIGATING, comment)


@action(
    "mark_unreachable",
    label=_("Customer not reachable: extend to 48 h"),
    sources={Status.INVESTIGATING},
    roles={Role.CUSTOMER_MANAGER, Role.CS_DIRECTOR, Role.CS_SPECIALIST},
    style="secondary",
)
def _mark_unreachable(c, actor, *, comment=""):
    """SPEC §4: 24 h to determine responsibility; 48 h if the customer could not be reached."""
    errors: dict = {}
    comment = _text(errors, "comment", comment)
    _raise(errors)
    step = c.current_step
    if step.deadline_hours and step.deadline_hours >= DETERMINE_HOURS_UNREACHABLE:
        raise InvalidTransition(_("The deadline has already been extended to 48 hours."))
    before = step.due_at
    step.deadline_hours = DETERMINE_HOURS_UNREACHABLE
    step.due_at = step.started_at + dt.timedelta(hours=DETERMINE_HOURS_UNREACHABLE)
    step.save(update_fields=["deadline_hours", "due_at"])
    return Result(
        None,
        comment,
        EventKind.DEADLINE_EXTENDED,
        data={"due_at": [_iso(before), _iso(step.due_at)]},
    )


@action(
    "determine",
    label=_("Record responsibility and handling opinion"),
    sources={Status.INVESTIGATING},
    roles=_determine_roles,
)
def _determine(
    c,
    actor,
    *,
    responsible_department,
    responsibility_finding,
    handling_opinion,
    remedies=(),
    responsible_staff_note="",
    customer_informed=False,
    callback_required=True,
    comment="",
):
    """SPEC §4 step 3: responsibility determined with the department; pass to management."""
    errors: dict = {}
    dept = _department(errors, "responsible_department", c, responsible_department, required=True)
    finding = _text(errors, "responsibility_finding", responsibility_finding, required=True)
    opinion = _text(errors, "handling_opinion", handling_opinion, required=True)
    staff_note = _text(errors, "responsible_staff_note", responsible_staff_note, max_length=200)
    remedies = list(remedies or [])
    for value in remedies:
        if value not in Remedy.values:
            errors.setdefault("remedies", []).append(
                _("Unknown value %(value)r; expected one of: %(values)s")
                % {"value": value, "values": ", ".join(Remedy.values)}
            )
    comment = _text(errors, "comment", comment)
    if c.nature in UNDETERMINABLE_NATURES and not errors:
        # A nature judged undeterminable goes through workflow B; determining it anyway means the
        # judgement changed, which must be said explicitly.
        errors.setdefault("nature", []).append(
            _(
                "The nature says responsibility cannot be determined yet; change the nature or "
                "make it a pending matter."
            )
        )
    _raise(errors)
    c.responsible_department = dept
    c.responsibility_finding = finding
    c.handling_opinion = opinion
    c.responsible_staff_note = staff_note
    c.remedies = sorted(set(remedies))
    c.customer_informed = bool(customer_informed)
    c.callback_required = bool(callback_required)
    return Result(Status.MANAGEMENT_REVIEW, comment)


@action(
    "change_nature",
    label=_("Change the nature"),
    style="secondary",
    sources={Status.INVESTIGATING, Status.PENDING_APPROVAL, Status.PENDING},
    roles={Role.CUSTOMER_MANAGER, Role.CS_DIRECTOR},
)
def _change_nature(c, actor, *, nature, comment=""):
    errors: dict = {}
    nature = _choice(errors, "nature", nature, Nature)
    comment = _text(errors, "comment", comment, required=True)
    _raise(errors)
    if nature == c.nature:
        raise ValidationFailed(
            _("The nature is already %(n)s.") % {"n": c.get_nature_display()}, field="nature"
        )
    c.nature = nature
    return Result(None, comment, EventKind.EDITED)


@action(
    "propose_pending",
    label=_("Make it a pending matter (ask the GM)"),
    style="secondary",
    sources={Status.INVESTIGATING},
    roles={Role.CUSTOMER_MANAGER, Role.CS_DIRECTOR},
)
def _propose_pending(c, actor, *, reason, comment=""):
    """SPEC §5: responsibility cannot be determined yet; with the GM's approval it becomes a
    pending matter and the customer is invited to come back."""
    errors: dict = {}
    reason = _choice(errors, "reason", reason, Nature)
    if reason and reason not in UNDETERMINABLE_NATURES:
        errors.setdefault("reason", []).append(
            _("A pending matter needs a reason for which responsibility cannot be determined yet.")
        )
    comment = _text(errors, "comment", comment, required=True)
    _raise(errors)
    c.nature = reason
    return Result(Status.PENDING_APPROVAL, comment)


@action(
    "approve_pending",
    label=_("Approve the pending matter"),
    sources={Status.PENDING_APPROVAL},
    roles=GM_ROLES,
)
def _approve_pending(c, actor, *, comment=""):
    errors: dict = {}
    comment = _text(errors, "comment", comment)
    _raise(errors)
    return Result(Status.PENDING, comment)


@action(
    "reject_pending",
    label=_("Refuse: determine responsibility now"),
    style="secondary",
    sources={Status.PENDING_APPROVAL},
    roles=GM_ROLES,
)
def _reject_pending(c, actor, *, comment):
    errors: dict = {}
    comment = _text(errors, "comment", comment, required=True)
    _raise(errors)
    return Result(Status.INVESTIGATING, comment)


@action(
    "resume",
    label=_("Customer returned: continue in workflow A"),
    sources={Status.PENDING},
    roles=CS_CENTER_ROLES,
)
def _resume(c, actor, *, nature, comment=""):
    """SPEC §5: when the customer returns and responsibility is determined, workflow A goes on."""
    errors: dict = {}
    nature = _choice(errors, "nature", nature, Nature)
    comment = _text(errors, "comment", comment)
    _raise(errors)
    c.nature = nature
    return Result(Status.INVESTIGATING, comment)


@action(
    "judge_unfounded",
    label=_("Judge unfounded or malicious and close"),
    style="danger",
    sources={Status.RECEIVED, Status.INVESTIGATING},
    roles={Role.CS_DIRECTOR, Role.CUSTOMER_MANAGER},
)
def _judge_unfounded(c, actor, *, outcome, explanation, comment=""):
    """SPEC §3: explained to the customer politely and firmly, and still closed on the record."""
    errors: dict = {}
    outcome = _choice(errors, "outcome", outcome, Outcome)
    if outcome == Outcome.RESOLVED:
        errors.setdefault("outcome", []).append(_("Choose unfounded or malicious."))
    if outcome == Outcome.MALICIOUS and Role.CS_DIRECTOR not in roles_in_store(actor, c.store):
        errors.setdefault("outcome", []).append(
            _("Only the CS director may judge a complaint malicious.")
        )
    explanation = _text(errors, "explanation", explanation, required=True)
    comment = _text(errors, "comment", comment)
    _raise(errors)
    c.outcome = outcome
    c.outcome_explanation = explanation
    return Result(Status.COMPLETED, comment)


@action(
    "review",
    label=_("Management review"),
    sources={Status.MANAGEMENT_REVIEW},
    roles=MANAGEMENT_ROLES,
)
def _review(c, actor, *, agreed, opinion, comment=""):
    """SPEC §4 step 4: agree → fault handling opinion; disagree → negotiated, signed opinion."""
    errors: dict = {}
    if agreed not in (True, False):
        errors.setdefault("agreed", []).append(_("Say whether management agrees."))
    opinion = _text(errors, "opinion", opinion, required=True)
    comment = _text(errors, "comment", comment)
    _raise(errors)
    c.management_agreed = agreed
    c.management_opinion = opinion
    return Result(Status.GM_DECISION, comment)


@action("decide", label=_("GM decision"), sources={Status.GM_DECISION}, roles=GM_ROLES)
def _decide(c, actor, *, decision, comment=""):
    """SPEC §4 step 5: the GM in charge decides; management returns the decision."""
    errors: dict = {}
    decision = _text(errors, "decision", decision, required=True)
    comment = _text(errors, "comment", comment)
    _raise(errors)
    c.gm_decision = decision
    return Result(Status.ACCOUNTABILITY, comment)


@action(
    "complete",
    label=_("Accountability done: complete the form"),
    sources={Status.ACCOUNTABILITY},
    roles=MANAGEMENT_ROLES,
)
def _complete(c, actor, *, accountability_note, comment=""):
    """SPEC §4 step 6: accountability executed, fault talked through, form handed to CS."""
    errors: dict = {}
    note = _text(errors, "accountability_note", accountability_note, required=True)
    comment = _text(errors, "comment", comment)
    _raise(errors)
    c.accountability_note = note
    c.outcome = Outcome.RESOLVED
    # SPEC §4/§6: called back within 24 h of completion if the customer manager marked it.
    return Result(Status.CALLBACK if c.callback_required else Status.COMPLETED, comment)


@action(
    "record_callback",
    label=_("Record the callback"),
    sources={Status.CALLBACK},
    roles=CALLBACK_ROLES,
)
def _record_callback(c, actor, *, reached, satisfied=None, customer_words="", comment=""):
    """SPEC §6: reachability, satisfaction and the customer's words; dissatisfied → reopened one
    tier higher."""
    errors: dict = {}
    if reached not in (True, False):
        errors.setdefault("reached", []).append(_("Say whether the customer was reached."))
    if reached is True and satisfied not in (True, False):
        errors.setdefault("satisfied", []).append(_("Say whether the customer is satisfied."))
    words = _text(errors, "customer_words", customer_words, required=reached is True)
    comment = _text(errors, "comment", comment)
    _raise(errors)
    data = {
        "reached": reached,
        "satisfied": satisfied if reached else None,
        "customer_words": words,
    }
    if not reached:
        return Result(None, comment, EventKind.CALLBACK_ATTEMPT, data=data)
    if satisfied:
        return Result(Status.COMPLETED, comment, data=data)
    _raise_tier(c, actor, _("Customer not satisfied at callback"))
    return Result(Status.INVESTIGATING, comment or words, data=data)


@action(
    "archive",
    label=_("Checked: archive"),
    sources={Status.COMPLETED},
    roles={Role.CS_DIRECTOR, Role.CS_SPECIALIST},
)
def _archive(c, actor, *, comment=""):
    errors: dict = {}
    comment = _text(errors, "comment", comment)
    _raise(errors)
    return Result(Status.ARCHIVED, comment)


@action(
    "send_back",
    label=_("Found wanting: back to management"),
    style="secondary",
    sources={Status.COMPLETED},
    roles={Role.CS_DIRECTOR, Role.CS_SPECIALIST},
)
def _send_back(c, actor, *, comment):
    """SPEC §7: a form found wanting goes back to management to settle with those responsible."""
    errors: dict = {}
    comment = _text(errors, "comment", comment, required=True)
    _raise(errors)
    if c.outcome != Outcome.RESOLVED:
        raise InvalidTransition(_("Only a handled complaint can go back to management."))
    return Result(Status.ACCOUNTABILITY, comment)


@action(
    "reopen",
    label=_("Reopen one tier higher"),
    style="warning",
    sources={Status.COMPLETED},
    roles={Role.CS_DIRECTOR, Role.CUSTOMER_MANAGER},
)
def _reopen(c, actor, *, comment):
    """SPEC §1: the customer is not satisfied with the outcome → raised a tier."""
    errors: dict = {}
    comment = _text(errors, "comment", comment, required=True)
    _raise(errors)
    c.outcome = ""
    _raise_tier(c, actor, comment)
    return Result(Status.INVESTIGATING, comment)


@action(
    "escalate",
    label=_("Raise one tier"),
    style="warning",
    sources=OPEN_STATES,
    roles={Role.CS_DIRECTOR},
)
def _escalate(c, actor, *, comment):
    errors: dict = {}
    comment = _text(errors, "comment", comment, required=True)
    _raise(errors)
    if c.tier >= MAX_TIER:
        raise InvalidTransition(_("The complaint is already at the highest tier."))
    _raise_tier(c, actor, comment)
    return Result(None, comment, EventKind.TIER_CHANGED)


@action(
    "set_severity",
    label=_("Change severity"),
    style="secondary",
    sources=OPEN_STATES,
    roles=CS_CENTER_ROLES | GM_ROLES,
)
def _set_severity(c, actor, *, severity, comment=""):
    """SPEC §3: major → the GM is asked (tier 2 at least); critical → GM at once (tier 3)."""
    errors: dict = {}
    severity = _choice(errors, "severity", severity, Severity)
    comment = _text(errors, "comment", comment)
    _raise(errors)
    if severity == c.severity:
        raise ValidationFailed(
            _("The severity is already %(s)s.") % {"s": c.get_severity_display()}, field="severity"
        )
    c.severity = severity
    _apply_severity_tier(c)
    return Result(None, comment, EventKind.SEVERITY_CHANGED)


@action(
    "void",
    label=_("Void (keeps its number)"),
    style="danger",
    sources=OPEN_STATES | {Status.COMPLETED},
    roles={Role.CS_DIRECTOR, Role.STORE_MANAGER},
)
def _void(c, actor, *, reason):
    """A complaint is never deleted: it is voided, keeps its number and stays on the record."""
    errors: dict = {}
    reason = _text(errors, "reason", reason, required=True)
    _raise(errors)
    c.void_reason = reason
    return Result(Status.VOIDED, reason)


# ---------------------------------------------------------------------------------------------
# The machinery.


def _iso(value):
    return value.isoformat() if value else None


def _is_involved(complaint: Complaint, user) -> bool:
    return complaint.pk is not None and complaint.involved_staff.filter(pk=user.pk).exists()


def _raise_tier(c: Complaint, actor, reason) -> None:
    if c.tier < MAX_TIER:
        c.tier += 1
        c._tier_reason = str(reason)


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
                "roles": "、".join(str(Role(r).label) for r in sorted(act.roles(complaint))),
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
        if complaint.status in act.sources and roles & act.roles(complaint)
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


def open_step(complaint: Complaint, *, now, started_at=None, hours=None) -> Step | None:
    """Open the step of the complaint's current state, with its due time and assignee."""
    kind = STATE_STEP.get(complaint.status)
    if kind is None:
        return None
    started = started_at or now
    hours = hours if hours is not None else STEP_HOURS[kind]
    department, person = assignee_for(complaint, kind)
    return Step.objects.create(
        complaint=complaint,
        kind=kind,
        tier=complaint.tier,
        department=department,
        assignee=person,
        started_at=started,
        deadline_hours=hours,
        due_at=started + dt.timedelta(hours=hours) if hours else None,
    )


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
        c.current_step = open_step(c, now=now, hours=result.step_hours)
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
                "hours": step.deadline_hours,
            },
            created_at=now,
        )


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
    if c.customer_id:
        parts += [c.customer.name, c.customer.phone, c.customer.phone_normalized]
    if c.vehicle_id:
        parts += [
            c.vehicle.plate,
            c.vehicle.plate_normalized,
            c.vehicle.vin,
            c.vehicle.brand,
            c.vehicle.model,
        ]
    return "\n".join(p for p in parts if p).lower()


__all__ = ["ACTIONS", "Action", "available_actions", "check_actor", "perform", "open_step"]
