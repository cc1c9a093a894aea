"""Writes for pending matters (SPEC §5). The complaint itself only changes through
workflow.perform: the customer's return runs the `resume` action in the same transaction."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from complaintdesk.complaints import workflow
from complaintdesk.complaints.choices import UNDETERMINABLE_NATURES, Nature, Severity, Status
from complaintdesk.complaints.workflow import MAX_TEXT
from complaintdesk.core.errors import (
    ConflictOfInterest,
    InvalidTransition,
    NotPermitted,
    ValidationFailed,
)
from complaintdesk.followup import selectors
from complaintdesk.followup.choices import ContactChannel, ContactOutcome
from complaintdesk.followup.models import PendingContact, PendingMatter
from complaintdesk.org.models import CS_CENTER_ROLES
from complaintdesk.org.selectors import roles_in_store

# SPEC §3: a major (or critical) complaint — the GM is asked, then the customer manager visits.
HOME_VISIT_SEVERITIES = frozenset({Severity.MAJOR, Severity.CRITICAL})


def pending_matter_open(*, complaint, actor, now: dt.datetime) -> PendingMatter:
    """Called by the approve_pending action inside perform()'s transaction (the complaint row is
    locked): the GM's approval opens the matter, or reopens the complaint's earlier one."""
    matter, _created = PendingMatter.objects.update_or_create(
        complaint=complaint,
        defaults={
            "store_id": complaint.store_id,
            "reason": complaint.nature,
            "approved_by": actor,
            "approved_at": now,
            "opened_at": now,
            "closed_at": None,
            "home_visit_required": complaint.severity in HOME_VISIT_SEVERITIES,
        },
    )
    return matter


def pending_matter_close(*, complaint, now: dt.datetime) -> None:
    """Called by the resume action: the customer returned, workflow A goes on (SPEC §5)."""
    PendingMatter.objects.filter(complaint=complaint, closed_at__isnull=True).update(closed_at=now)


def _writable_matter(actor, complaint_id) -> PendingMatter:
    """The matter, locked through its complaint; the CS center may write it, never the staff
    complained about (SPEC §1)."""
    matter = selectors.get_matter_for(actor, complaint_id)
    complaint = workflow.lock_complaint(matter.complaint_id, actor)
    if complaint.involved_staff.filter(pk=actor.pk).exists():
        raise ConflictOfInterest()
    if not roles_in_store(actor, complaint.store) & CS_CENTER_ROLES:
        raise NotPermitted(_("Only the customer service center records pending-matter contacts."))
    if matter.closed_at is not None or complaint.status != Status.PENDING:
        raise InvalidTransition(_("This pending matter is closed."))
    return PendingMatter.objects.select_for_update().get(pk=matter.pk)


def _clean_text(errors, name, value, *, required=False) -> str:
    value = (value or "").strip()
    if required and not value:
        errors.setdefault(name, []).append(_("This field is required."))
    elif len(value) > MAX_TEXT:
        errors.setdefault(name, []).append(_("Too long."))
    return value


def pending_contact_record(
    *,
    actor,
    complaint_id: int,
    channel: str,
    outcome: str,
    note: str = "",
    next_contact_on: dt.date | None = None,
    nature: str = "",
    contacted_at: dt.datetime | None = None,
) -> PendingContact:
    """Record one contact with the customer of a pending matter (SPEC §5: what changed). When
    the customer has returned (`returned`), the complaint goes back into workflow A with the
    nature now determined (`nature`), in the same transaction."""
    now = timezone.now()
    contacted_at = contacted_at or now
    errors: dict = {}
    if channel not in ContactChannel.values:
        errors["channel"] = [
            _("Unknown value; expected one of: %(values)s")
            % {"values": ", ".join(ContactChannel.values)}
        ]
    if outcome not in ContactOutcome.values:
        errors["outcome"] = [
            _("Unknown value; expected one of: %(values)s")
            % {"values": ", ".join(ContactOutcome.values)}
        ]
    note = _clean_text(errors, "note", note)
    if outcome == ContactOutcome.RETURNED and (
        nature not in Nature.values or nature in UNDETERMINABLE_NATURES
    ):
        errors["nature"] = [_("Choose the nature now that responsibility can be determined.")]
    if contacted_at > now + dt.timedelta(minutes=5):
        errors["contacted_at"] = [_("A contact cannot be in the future.")]
    if next_contact_on is not None and next_contact_on < timezone.localdate(contacted_at):
        errors["next_contact_on"] = [_("The next contact cannot be before this one.")]
    with transaction.atomic():
        matter = _writable_matter(actor, complaint_id)
        if errors:
            raise ValidationFailed(errors=errors)
        contact = PendingContact.objects.create(
            matter=matter,
            contacted_at=contacted_at,
            contacted_by=actor,
            channel=channel,
            outcome=outcome,
            note=note,
            next_contact_on=next_contact_on,
        )
        matter.last_contact_at = contacted_at
        matter.last_contact_outcome = outcome
        matter.next_contact_on = next_contact_on
        matter.save(update_fields=["last_contact_at", "last_contact_outcome", "next_contact_on"])
        if outcome == ContactOutcome.RETURNED:
            workflow.perform(
                "resume",
                matter.complaint_id,
                actor=actor,
                nature=nature,
                comment=note or _("Customer returned."),
            )
    return contact


def pending_home_visit_record(
    *, actor, complaint_id: int, visited_on: dt.date | None, outcome: str
) -> PendingMatter:
    """SPEC §5: for a major complaint the customer manager visits the customer after the GM's
    approval; the date, who went and what came of it go on the matter."""
    errors: dict = {}
    if visited_on is None:
        errors["visited_on"] = [_("This field is required.")]
    elif visited_on > timezone.localdate():
        errors["visited_on"] = [_("A visit cannot be in the future.")]
    outcome = _clean_text(errors, "outcome", outcome, required=True)
    with transaction.atomic():
        matter = _writable_matter(actor, complaint_id)
        if errors:
            raise ValidationFailed(errors=errors)
        matter.home_visit_on = visited_on
        matter.home_visit_by = actor
        matter.home_visit_outcome = outcome
        matter.save(update_fields=["home_visit_on", "home_visit_by", "home_visit_outcome"])
    return matter
