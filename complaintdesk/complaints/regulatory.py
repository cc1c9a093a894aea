"""Regulatory deadlines (SPEC §9) as steps on their own track, beside the workflow step.

- Every complaint: the dealer tells the consumer within 7 working days whether the complaint was
  accepted and how it is handled (汽车销售管理办法 2017, Art. 18). Opened at intake, met by
  `inform_customer` (or by recording responsibility with "customer informed").
- A regulator's referral: its reference, the acceptance decision (7 working days unless the
  regulator gives a date) and the end of mediation (the regulator's date, or 45 working days).
- A replacement / refund request (三包): answered within 10 and completed within 20 working days.
The deadline sweep treats these like any step: warnings, breaches, notifications to the CS
director and the GM. They never change the complaint's status.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaintdesk.complaints.choices import OPEN_STATES, EventKind, StepKind, StepTrack
from complaintdesk.complaints.models import Complaint, Step
from complaintdesk.complaints.workflow import MAX_TEXT, Result, _iso, action
from complaintdesk.core.errors import InvalidTransition, ValidationFailed
from complaintdesk.deadlines import schedule
from complaintdesk.org.models import CS_CENTER_ROLES, Role

REGULATORY_ROLES = CS_CENTER_ROLES | {Role.GENERAL_MANAGER, Role.STORE_MANAGER}


def open_regulatory(
    c: Complaint, kind: str, *, start: dt.datetime, due: dt.datetime | None = None, reason: str = ""
) -> Step:
    step = Step(
        complaint=c,
        kind=kind,
        track=StepTrack.REGULATORY,
        tier=c.tier,
        started_at=start,
        assignee=c.customer_manager,
    )
    if due is not None:
        schedule.fix_due(step, due=due, reason=reason)
        step.deadline = kind
    else:
        schedule.schedule(step, deadline=schedule.STEP_DEADLINE[kind], start=start)
    step.save()
    return step


def close_regulatory(c: Complaint, kinds, *, actor, now) -> list[Step]:
    steps = list(
        Step.objects.filter(
            complaint=c, track=StepTrack.REGULATORY, kind__in=list(kinds), finished_at__isnull=True
        )
    )
    for step in steps:
        step.finished_at, step.finished_by = now, actor
        step.save(update_fields=["finished_at", "finished_by"])
    return steps


def _open_kinds(c: Complaint) -> set[str]:
    return set(
        Step.objects.filter(
            complaint=c, track=StepTrack.REGULATORY, finished_at__isnull=True
        ).values_list("kind", flat=True)
    )


def _text(name, value, *, required=True, max_length=MAX_TEXT) -> str:
    value = (value or "").strip() if isinstance(value, str) or value is None else str(value)
    if required and not value:
        raise ValidationFailed(_("This field is required."), field=name)
    if len(value) > max_length:
        raise ValidationFailed(_("At most %(n)d characters.") % {"n": max_length}, field=name)
    return value


def _date(name, value) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValidationFailed(_("A date as YYYY-MM-DD."), field=name) from None


def _end_of_day(c: Complaint, day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), c.store.tz)


@action(
    "inform_customer",
    label=_("Customer told how it is handled"),
    style="secondary",
    side=True,
    when=lambda c: StepKind.CONSUMER_NOTICE in _open_kinds(c),
    sources=OPEN_STATES,
    roles=REGULATORY_ROLES,
)
def _inform_customer(c, actor, *, how):
    """SPEC §9: the consumer notice (7 working days) is met."""
    how = _text("how", how)
    if StepKind.CONSUMER_NOTICE not in _open_kinds(c):
        raise InvalidTransition(_("The customer has already been told."))
    close_regulatory(c, [StepKind.CONSUMER_NOTICE], actor=actor, now=timezone.now())
    c.customer_informed = True
    return Result(None, how, EventKind.REGULATORY, data={"met": StepKind.CONSUMER_NOTICE})


@action(
    "record_referral",
    label=_("Record the regulator's referral"),
    style="secondary",
    side=True,
    sources=OPEN_STATES,
    roles=REGULATORY_ROLES,
)
def _record_referral(c, actor, *, reference, accept_by=None, mediation_end=None, comment=""):
    reference = _text("reference", reference, max_length=60)
    accept_by, mediation_end = _date("accept_by", accept_by), _date("mediation_end", mediation_end)
    if accept_by and mediation_end and mediation_end < accept_by:
        raise ValidationFailed(
            _("Mediation cannot end before the acceptance decision."), field="mediation_end"
        )
    comment = _text("comment", comment, required=False)
    now = timezone.now()
    c.regulator_reference = reference
    open_kinds = _open_kinds(c)
    opened = []
    if StepKind.REGULATOR_ACCEPTANCE not in open_kinds:
        step = open_regulatory(
            c,
            StepKind.REGULATOR_ACCEPTANCE,
            start=c.received_at,
            due=_end_of_day(c, accept_by) if accept_by else None,
            reason=str(_("date given by the regulator")),
        )
        opened.append(step)
    if mediation_end and StepKind.REGULATOR_MEDIATION not in open_kinds:
        opened.append(
            open_regulatory(
                c,
                StepKind.REGULATOR_MEDIATION,
                start=now,
                due=_end_of_day(c, mediation_end),
                reason=str(_("date given by the regulator")),
            )
        )
    return Result(
        None,
        comment,
        EventKind.REGULATORY,
        data={"reference": reference, "opened": {s.kind: _iso(s.due_at) for s in opened}},
    )


@action(
    "record_refund_request",
    label=_("Customer asks for replacement / refund"),
    style="secondary",
    side=True,
    when=lambda c: not {StepKind.REFUND_ANSWER, StepKind.REFUND_COMPLETE} & _open_kinds(c),
    sources=OPEN_STATES,
    roles=REGULATORY_ROLES,
)
def _record_refund_request(c, actor, *, comment):
    comment = _text("comment", comment)
    open_kinds = _open_kinds(c)
    if {StepKind.REFUND_ANSWER, StepKind.REFUND_COMPLETE} & open_kinds:
        raise InvalidTransition(_("A replacement / refund request is already open."))
    now = timezone.now()
    steps = [
        open_regulatory(c, kind, start=now)
        for kind in (StepKind.REFUND_ANSWER, StepKind.REFUND_COMPLETE)
    ]
    return Result(
        None,
        comment,
        EventKind.REGULATORY,
        data={"opened": {s.kind: _iso(s.due_at) for s in steps}},
    )


@action(
    "answer_refund",
    label=_("Replacement / refund request answered"),
    style="secondary",
    side=True,
    when=lambda c: StepKind.REFUND_ANSWER in _open_kinds(c),
    sources=OPEN_STATES,
    roles=REGULATORY_ROLES,
)
def _answer_refund(c, actor, *, answer):
    answer = _text("answer", answer)
    if StepKind.REFUND_ANSWER not in _open_kinds(c):
        raise InvalidTransition(_("No replacement / refund request is waiting for an answer."))
    close_regulatory(c, [StepKind.REFUND_ANSWER], actor=actor, now=timezone.now())
    return Result(None, answer, EventKind.REGULATORY, data={"met": StepKind.REFUND_ANSWER})


@action(
    "complete_refund",
    label=_("Replacement / refund completed"),
    style="secondary",
    side=True,
    when=lambda c: StepKind.REFUND_COMPLETE in _open_kinds(c),
    sources=OPEN_STATES,
    roles=REGULATORY_ROLES,
)
def _complete_refund(c, actor, *, comment):
    comment = _text("comment", comment)
    if StepKind.REFUND_COMPLETE not in _open_kinds(c):
        raise InvalidTransition(_("No replacement / refund is open."))
    close_regulatory(
        c, [StepKind.REFUND_ANSWER, StepKind.REFUND_COMPLETE], actor=actor, now=timezone.now()
    )
    return Result(None, comment, EventKind.REGULATORY, data={"met": StepKind.REFUND_COMPLETE})
