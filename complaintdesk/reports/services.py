"""Writes: rewards and penalties (奖罚) and internal notices (通报), SPEC §7."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from complaintdesk.complaints.choices import Outcome
from complaintdesk.complaints.selectors import get_complaint_for
from complaintdesk.core.errors import ConflictOfInterest, NotPermitted, ValidationFailed
from complaintdesk.org.models import Department, User
from complaintdesk.org.selectors import roles_in_store
from complaintdesk.reports.models import Notice, Sanction
from complaintdesk.reports.selectors import SANCTION_ROLES


def _check(actor, complaint):
    if complaint.involved_staff.filter(pk=actor.pk).exists():
        raise ConflictOfInterest()
    if not roles_in_store(actor, complaint.store) & SANCTION_ROLES:
        raise NotPermitted(_("Only the management department or the GM may do this."))


def sanction_record(
    *, actor, complaint_id, kind: str, amount, reason: str, person_id=None, department_id=None
) -> Sanction:
    """A reward or a penalty for a person and/or a department, from one complaint."""
    complaint = get_complaint_for(actor, complaint_id)
    _check(actor, complaint)
    errors: dict = {}
    if kind not in Sanction.Kind.values:
        errors["kind"] = [_("Choose reward or penalty.")]
    try:
        value = Decimal(str(amount)).quantize(Decimal("0.01"))
        if value < 0 or value >= Decimal("100000000"):
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        errors["amount"] = [_("Enter an amount of zero or more.")]
        value = None
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = [_("This field is required.")]
    person = department = None
    if person_id:
        person = (
            User.objects.filter(pk=person_id, grants__store=complaint.store).first()
            or User.objects.filter(
                pk=person_id, grants__store__isnull=True, grants__group_id=complaint.store.group_id
            ).first()
        )
        if person is None:
            errors["person"] = [_("Choose a person of this store.")]
    if department_id:
        department = Department.objects.filter(pk=department_id, store=complaint.store).first()
        if department is None:
            errors["department"] = [_("Choose a department of this store.")]
    if not person_id and not department_id:
        errors["person"] = [_("Name a person or a department.")]
    if errors:
        raise ValidationFailed(errors=errors)
    return Sanction.objects.create(
        store=complaint.store,
        complaint=complaint,
        kind=kind,
        amount=value,
        reason=reason,
        person=person,
        department=department,
        created_by=actor,
        created_at=timezone.now(),
    )


def notice_issue(*, actor, complaint_id, title: str, body: str) -> Notice:
    """An internal notice about a substantiated complaint (outcome resolved: the complaint was
    found to be as stated), told in the app to the store's staff with a dashboard role."""
    from complaintdesk.notifications.choices import Kind
    from complaintdesk.notifications.services import notify
    from complaintdesk.org.selectors import users_with_roles
    from complaintdesk.reports.selectors import DASHBOARD_ROLES

    complaint = get_complaint_for(actor, complaint_id)
    _check(actor, complaint)
    errors: dict = {}
    if complaint.outcome != Outcome.RESOLVED:
        errors["title"] = [_("A notice is only issued for a substantiated complaint.")]
    title, body = (title or "").strip(), (body or "").strip()
    if not title or len(title) > 200:
        errors.setdefault("title", []).append(_("A title of at most 200 characters."))
    if not body:
        errors["body"] = [_("This field is required.")]
    if errors:
        raise ValidationFailed(errors=errors)
    with transaction.atomic():
        notice = Notice.objects.create(
            store=complaint.store,
            complaint=complaint,
            title=title,
            body=body,
            issued_by=actor,
            issued_at=timezone.now(),
        )
        notify(
            recipients=users_with_roles(complaint.store, DASHBOARD_ROLES),
            store=complaint.store,
            kind=Kind.OTHER,
            title=title,
            body=body,
            complaint=complaint,
            dedupe_key=f"notice:{notice.pk}",
        )
    return notice
