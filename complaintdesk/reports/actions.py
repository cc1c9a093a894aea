"""The CS center's assessment of a completed form (SPEC §7), as a workflow side action.

Registered in `complaints.workflow.ACTIONS` (imported at the bottom of workflow.py), so that
`perform()` checks the state, the roles and the conflict of interest like for every action.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaintdesk.complaints.choices import EventKind, Status, StepTrack
from complaintdesk.complaints.workflow import Result, action
from complaintdesk.core.errors import ValidationFailed
from complaintdesk.org.models import Role
from complaintdesk.reports.models import Assessment, Proportion

ASSESS_ROLES = frozenset({Role.CS_DIRECTOR, Role.CS_SPECIALIST})
MAX_NOTE = 5000


def measure_timeliness(complaint) -> tuple[bool, list[dict], int]:
    """Each workflow step's finish against its due time (the Step rows), and the deadlines the
    sweep recorded as missed (deadlines.Breach, not withdrawn)."""
    from complaintdesk.deadlines.models import Breach

    late = []
    steps = complaint.steps.filter(track=StepTrack.WORKFLOW, due_at__isnull=False)
    for step in steps.select_related("assignee").order_by("started_at", "id"):
        if step.finished_at is not None and step.finished_at > step.due_at:
            late.append(
                {
                    "kind": step.kind,
                    "due_at": step.due_at.isoformat(),
                    "finished_at": step.finished_at.isoformat(),
                    "assignee": str(step.assignee or ""),
                }
            )
    breaches = Breach.objects.filter(
        complaint=complaint, kind=Breach.Kind.BREACH, withdrawn_at__isnull=True
    ).count()
    return (not late and not breaches), late, breaches


def record_assessment(c, actor, *, proportion, note="") -> Assessment:
    errors: dict = {}
    if proportion not in Proportion.values:
        errors["proportion"] = [_("Choose in proportion, too lenient or too harsh.")]
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        errors["note"] = [_("At most %(n)d characters.") % {"n": MAX_NOTE}]
    if proportion in (Proportion.TOO_LENIENT, Proportion.TOO_HARSH) and not note:
        errors["note"] = [_("Say what was out of proportion.")]
    if errors:
        raise ValidationFailed(errors=errors)
    on_time, late, breaches = measure_timeliness(c)
    return Assessment.objects.create(
        complaint=c,
        assessed_by=actor,
        assessed_at=timezone.now(),
        on_time=on_time,
        late_steps=late,
        breaches=breaches,
        proportion=proportion,
        note=note,
    )


def current_assessment(c) -> Assessment | None:
    """The assessment of the form as it stands: made since it was last completed."""
    qs = c.assessments.all()
    if c.closed_at is not None:
        qs = qs.filter(assessed_at__gte=c.closed_at)
    return qs.order_by("-assessed_at", "-id").first()


@action(
    "assess",
    label=_("Assess timeliness and proportion"),
    style="secondary",
    side=True,
    sources={Status.COMPLETED},
    roles=ASSESS_ROLES,
    when=lambda c: current_assessment(c) is None,
)
def _assess(c, actor, *, proportion, note=""):
    """SPEC §7: the CS center checks every completed form for timeliness and for the proportion
    of the handling; a form found wanting is then sent back to management."""
    a = record_assessment(c, actor, proportion=proportion, note=note)
    return Result(
        None,
        a.note,
        EventKind.COMMENT,
        data={
            "assessment": a.pk,
            "proportion": a.proportion,
            "on_time": a.on_time,
            "breaches": a.breaches,
            "late_steps": [s["kind"] for s in a.late_steps],
        },
    )
