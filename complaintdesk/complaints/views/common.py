"""What every complaint view needs: the one access check, and who may correct a form."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from complaintdesk.complaints import selectors, services
from complaintdesk.complaints.choices import EDITABLE_STATES
from complaintdesk.complaints.models import Complaint
from complaintdesk.core.errors import ConflictOfInterest, NotFound
from complaintdesk.org.selectors import roles_in_store


def complaint_or_404(user, pk) -> Complaint:
    """selectors.get_complaint_for: another store's complaint is missing, not forbidden."""
    try:
        return selectors.get_complaint_for(user, pk)
    except NotFound:
        raise Http404(_("Not found.")) from None


def is_involved(complaint: Complaint, user) -> bool:
    return complaint.involved_staff.filter(pk=user.pk).exists()


def edit_refusal(complaint: Complaint, user) -> str | None:
    """Why this user may not correct this form now (the same checks as complaint_update)."""
    if complaint.status not in EDITABLE_STATES:
        return _("A complaint that is “%(status)s” can no longer be changed.") % {
            "status": complaint.get_status_display()
        }
    if is_involved(complaint, user):
        return str(ConflictOfInterest.default_message)
    if not roles_in_store(user, complaint.store) & services.EDIT_ROLES:
        return _("Only the customer service center may correct a form.")
    return None


def is_htmx(request) -> bool:
    """An htmx swap wants the fragment; a history restore wants the whole page."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )
