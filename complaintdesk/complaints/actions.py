"""The actions of the complaint workflow (SPEC §3–§7), registered in workflow.ACTIONS.

Each action gets the locked complaint and the actor, validates its own input (reporting the field
that is wrong), changes fields, and returns a Result saying where the complaint goes;
workflow.perform() checks state, roles and conflict of interest before, and records after.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaintdesk.complaints.choices import (
    OPEN_STATES,
    UNDETERMINABLE_NATURES,
    EventKind,
    Nature,
    Outcome,
    Remedy,
    Severity,
    Status,
)
from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.workflow import (
    MAX_TEXT,
    MAX_TIER,
    TIER_ROLES,
    Result,
    _apply_severity_tier,
    _is_involved,
    _iso,
    _raise_tier,
    action,
)
from complaintdesk.core.errors import ConflictOfInterest, InvalidTransition, ValidationFailed
from complaintdesk.deadlines import schedule
from complaintdesk.followup.choices import SATISFIED_FROM, Satisfaction
from complaintdesk.org.models import CS_CENTER_ROLES, Department, Role, User
from complaintdesk.org.selectors import roles_in_store

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


# Remedies that mean further service or compensation (SPEC §6: callback within 3 working days).
FURTHER_SERVICE_REMEDIES = frozenset(
    {
        Remedy.FREE_REREPAIR,
        Remedy.FREE_INSPECTION,
        Remedy.LABOUR_DISCOUNT,
        Remedy.PARTS_COMPENSATION,
        Remedy.MONEY_COMPENSATION,
        Remedy.SHUTTLE_OR_LOAN_CAR,
    }
)
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
    if dept is not None:  # none given keeps the department chosen at intake
        c.concerned_department = dept
    if manager is None and Role.CUSTOMER_MANAGER in roles_in_store(actor, c.store):
        manager = actor
    c.customer_manager = manager
    c.filled_by = actor
    _apply_severity_tier(c)
    return Result(Status.INVESTIGATING, comment)


@action(
    "mark_unreachable",
    when=lambda c: (
        c.current_step is not None
        and c.current_step.deadline != "determine_unreachable"
        and c.current_step.paused_at is None
    ),
    side=True,
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
    if step.deadline == "determine_unreachable":
        raise InvalidTransition(_("The deadline has already been extended."))
    if step.paused_at is not None:
        raise InvalidTransition(_("The clock is stopped; restart it first."))
    before = step.due_at
    schedule.schedule(step, deadline="determine_unreachable", start=step.started_at)
    step.save()
    return Result(
        None,
        comment,
        EventKind.DEADLINE_EXTENDED,
        data={"due_at": [_iso(before), _iso(step.due_at)], "explanation": step.explanation},
    )


@action(
    "pause_clock",
    when=lambda c: c.current_step is not None and c.current_step.due_at is not None,
    side=True,
    label=_("Waiting on the customer: stop the clock"),
    sources=OPEN_STATES - {Status.PENDING},
    roles=CS_CENTER_ROLES,
    style="secondary",
)
def _pause_clock(c, actor, *, comment):
    """The step waits on the customer (unreachable, asked to come back): its clock stops, and
    what is left of the time is kept for when it restarts."""
    errors: dict = {}
    comment = _text(errors, "comment", comment, required=True)
    _raise(errors)
    step = c.current_step
    if step is None or step.due_at is None:
        raise InvalidTransition(_("This step has no running clock to stop."))
    schedule.pause(step, timezone.now())
    step.save()
    return Result(
        None,
        comment,
        EventKind.CLOCK_PAUSED,
        data={"remaining_hours": round(step.remaining_seconds / 3600, 2), "clock": step.clock},
    )


@action(
    "resume_clock",
    when=lambda c: c.current_step is not None and c.current_step.paused_at is not None,
    side=True,
    label=_("Customer answered: restart the clock"),
    sources=OPEN_STATES - {Status.PENDING},
    roles=CS_CENTER_ROLES,
    style="secondary",
)
def _resume_clock(c, actor, *, comment=""):
    errors: dict = {}
    comment = _text(errors, "comment", comment)
    _raise(errors)
    step = c.current_step
    if step is None or step.paused_at is None:
        raise InvalidTransition(_("The clock is not stopped."))
    paused_at = step.paused_at
    schedule.resume(step, timezone.now())
    step.save()
    return Result(
        None,
        comment,
        EventKind.CLOCK_RESUMED,
        data={"paused_at": _iso(paused_at), "due_at": _iso(step.due_at)},
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
    side=True,
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
    """SPEC §5: with the GM's approval the complaint becomes a pending matter and enters the
    ledgers; a major one also needs the customer manager's home visit (recorded on the matter)."""
    from complaintdesk.followup.services import pending_matter_open

    errors: dict = {}
    comment = _text(errors, "comment", comment)
    _raise(errors)
    pending_matter_open(complaint=c, actor=actor, now=timezone.now())
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
    from complaintdesk.followup.services import pending_matter_close

    errors: dict = {}
    nature = _choice(errors, "nature", nature, Nature)
    if nature in UNDETERMINABLE_NATURES:
        errors.setdefault("nature", []).append(
            _("Choose the nature now that responsibility can be determined.")
        )
    comment = _text(errors, "comment", comment)
    _raise(errors)
    c.nature = nature
    pending_matter_close(complaint=c, now=timezone.now())
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


def _settle_roles(complaint: Complaint) -> frozenset[str]:
    # SPEC §1: ending a complaint is a handling decision of its tier — the CS center and the
    # tier's roles (service advisor at tier 1, department manager and technical director at 2,
    # GM at 3); the callback agent only calls back, and other first responders record the
    # answer without closing (they must not promise what they cannot grant).
    return CS_CENTER_ROLES | (TIER_ROLES[complaint.tier] - {Role.CALLBACK_AGENT})


@action(
    "settle_by_script",
    # Offered by the guidance panel of the complaint page (complaintdesk.guidance), which lists
    # the scripts that fit and their answers; not in the generic list of actions.
    when=lambda c: False,
    label=_("Customer accepted the script's answer: close"),
    sources={Status.RECEIVED, Status.INVESTIGATING},
    roles=_settle_roles,
)
def _settle_by_script(
    c, actor, *, script, branch, nature=None, callback_required=False, comment=""
):
    """SPEC §8: the customer's answer to a handling script ends the complaint (the delay
    script's "agrees"), resolved on the record with the script and the answer as the
    explanation and the answer's remedies. Only before responsibility is determined: once a
    handling opinion exists, management's review decides. Called back like any completed form
    when marked, when it was reopened after a dissatisfied callback, or when the answer means
    further service (SPEC §6: within 3 working days)."""
    from complaintdesk.guidance.services import script_settle

    errors: dict = {}
    comment = _text(errors, "comment", comment)
    if nature not in (None, ""):
        nature = _choice(errors, "nature", nature, Nature)
        if nature and c.nature and nature != c.nature:
            errors.setdefault("nature", []).append(
                _("The nature is already judged (%(n)s); change it first.")
                % {"n": c.get_nature_display()}
            )
    elif not c.nature:
        errors.setdefault("nature", []).append(_("Judge the nature: the form has none yet."))
    _raise(errors)
    c.nature = c.nature or nature
    settled = script_settle(complaint=c, actor=actor, script=script, branch=branch, note=comment)
    c.outcome = Outcome.RESOLVED
    c.outcome_explanation = settled.explanation
    c.remedies = settled.remedies
    further_service = bool(set(c.remedies) & FURTHER_SERVICE_REMEDIES)
    c.callback_required = bool(c.callback_required or callback_required or further_service)
    if not c.callback_required:
        return Result(Status.COMPLETED, comment, EventKind.SCRIPT_USED, data=settled.data)
    return Result(
        Status.CALLBACK,
        comment,
        EventKind.SCRIPT_USED,
        data=settled.data,
        deadline="callback_after_service" if further_service else None,
    )


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
    if not c.callback_required:
        return Result(Status.COMPLETED, comment)
    # SPEC §4: called back within 24 h of completion if the customer manager marked it; SPEC §6:
    # within 3 working days when it ended in compensation or further service.
    further_service = bool(set(c.remedies) & FURTHER_SERVICE_REMEDIES)
    return Result(
        Status.CALLBACK, comment, deadline="callback_after_service" if further_service else None
    )


# SPEC §6 retry rule: a callback is recorded as unreachable after this many unanswered attempts
# at different times of day, i.e. each at least CALLBACK_RETRY_GAP after the last one counted.
CALLBACK_MAX_ATTEMPTS = 3
CALLBACK_RETRY_GAP = dt.timedelta(hours=2)


def _owes_callback(c) -> bool:
    from complaintdesk.followup.selectors import owes_followup_callback

    return c.status == Status.CALLBACK or owes_followup_callback(c)


def _counted_attempts(c, now) -> tuple[int, bool]:
    """Unanswered attempts counted in this round (since the current step began) before this one,
    and whether this one counts: it must be CALLBACK_RETRY_GAP after the last counted one."""
    since = c.current_step.started_at if c.current_step_id else None
    earlier = c.events.filter(action="record_callback", data__reached=False)
    if since is not None:
        earlier = earlier.filter(created_at__gte=since)
    counted: list = []
    for at in earlier.order_by("created_at", "id").values_list("created_at", flat=True):
        if not counted or at - counted[-1] >= CALLBACK_RETRY_GAP:
            counted.append(at)
    return len(counted), not counted or now - counted[-1] >= CALLBACK_RETRY_GAP


def _satisfaction(errors, value):
    if value in (None, ""):
        return None
    try:
        score = int(value)
    except (TypeError, ValueError):
        score = 0
    if isinstance(value, bool) or score not in Satisfaction.values:
        errors.setdefault("satisfaction", []).append(
            _("Give the satisfaction from 1 (very dissatisfied) to 5 (very satisfied).")
        )
        return None
    return score


@action(
    "record_callback",
    when=_owes_callback,
    label=_("Record the callback"),
    sources={Status.CALLBACK, Status.COMPLETED},
    roles=CALLBACK_ROLES,
)
def _record_callback(
    c, actor, *, reached, satisfaction=None, satisfied=None, customer_words="", comment=""
):
    """SPEC §6: reachability, satisfaction (1 very dissatisfied … 5 very satisfied; 3 and up
    count as satisfied) and the customer's words; dissatisfied → reopened one tier higher.
    Three unanswered attempts at least 2 h apart record the callback as unreachable: the form
    is completed with that note and goes to the CS center's archive check. A completed complaint
    whose customer was seriously dissatisfied (1) at the last callback is called back again."""
    errors: dict = {}
    if not _owes_callback(c):
        raise InvalidTransition(_("No callback is owed on this complaint now."))
    if reached not in (True, False):
        errors.setdefault("reached", []).append(_("Say whether the customer was reached."))
    score = _satisfaction(errors, satisfaction)
    if reached is True and score is None and satisfied not in (True, False):
        if "satisfaction" not in errors:
            errors.setdefault("satisfied", []).append(_("Say whether the customer is satisfied."))
    if reached is True and score is not None:
        derived = score >= SATISFIED_FROM
        if satisfied in (True, False) and satisfied != derived:
            errors.setdefault("satisfaction", []).append(
                _("The satisfaction score and “satisfied” disagree.")
            )
        satisfied = derived
    words = _text(errors, "customer_words", customer_words, required=reached is True)
    comment = _text(errors, "comment", comment)
    _raise(errors)
    data = {
        "reached": reached,
        "satisfied": satisfied if reached else None,
        "satisfaction": score if reached else None,
        "customer_words": words,
    }
    followup = c.status == Status.COMPLETED
    if not reached:
        counted, counts = _counted_attempts(c, timezone.now())
        data["attempt"] = counted + (1 if counts else 0)
        data["counted"] = counts
        if counts and counted + 1 >= CALLBACK_MAX_ATTEMPTS:
            data["unreachable"] = True
            note = comment or str(_("Unreachable after three attempts at different times."))
            if not followup:
                return Result(Status.COMPLETED, note, data=data)
            return Result(None, note, EventKind.CALLBACK_ATTEMPT, data=data)
        return Result(None, comment, EventKind.CALLBACK_ATTEMPT, data=data)
    if satisfied:
        if followup:
            return Result(None, comment or words, EventKind.CALLBACK_ATTEMPT, data=data)
        return Result(Status.COMPLETED, comment, data=data)
    _raise_tier(c, actor, _("Customer not satisfied at callback"))
    # The reopened complaint is called back again when it is complete (SPEC §6).
    c.callback_required = True
    return Result(Status.INVESTIGATING, comment or words, data=data)


@action(
    "archive",
    label=_("Checked: archive"),
    sources={Status.COMPLETED},
    roles={Role.CS_DIRECTOR, Role.CS_SPECIALIST},
)
def _archive(c, actor, *, comment=""):
    """SPEC §7: archived only once assessed; a form found wanting must go back to management
    first. Archiving a form not yet assessed since it was completed is the CS center's check
    that it is in proportion: it records that assessment, timeliness measured from the steps."""
    from complaintdesk.reports.actions import current_assessment, record_assessment
    from complaintdesk.reports.models import Proportion

    errors: dict = {}
    comment = _text(errors, "comment", comment)
    _raise(errors)
    assessment = current_assessment(c) or record_assessment(c, actor, proportion=Proportion.OK)
    if assessment.proportion != Proportion.OK:
        raise InvalidTransition(
            _("The assessment found the handling out of proportion: send it back first.")
        )
    return Result(Status.ARCHIVED, comment, data={"assessment": assessment.pk})


@action(
    "send_back",
    when=lambda c: c.outcome == Outcome.RESOLVED,
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
    from complaintdesk.reports.actions import current_assessment

    # The timeline keeps why (the comment) and which assessment found it wanting.
    assessment = current_assessment(c)
    data = {}
    if assessment is not None:
        assessment.sent_back_at = timezone.now()
        assessment.save(update_fields=["sent_back_at"])
        data = {"assessment": assessment.pk, "proportion": assessment.proportion}
    return Result(Status.ACCOUNTABILITY, comment, data=data)


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
    when=lambda c: c.tier < MAX_TIER,
    side=True,
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
    side=True,
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
    side=True,
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
