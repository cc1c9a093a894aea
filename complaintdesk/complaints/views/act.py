"""Taking one workflow action on one complaint from its page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from complaintdesk.complaints import workflow
from complaintdesk.complaints.action_forms import ActionForm
from complaintdesk.complaints.views.common import complaint_or_404
from complaintdesk.complaints.views.pages import detail_context
from complaintdesk.core.errors import (
    InvalidTransition,
    NotPermitted,
    StaleVersion,
    ValidationFailed,
)


@login_required
@require_POST
def complaint_act(request, pk, action):
    complaint = complaint_or_404(request.user, pk)
    act = workflow.ACTIONS.get(action)
    if act is None:
        raise Http404(_("Unknown action."))
    form = ActionForm(act, complaint, data=request.POST)
    if form.is_valid():
        try:
            workflow.perform(
                act.name,
                complaint.pk,
                actor=request.user,
                expected_version=form.cleaned_data["expected_version"],
                **form.params(),
            )
        except ValidationFailed as exc:
            form.add_domain_errors(exc)
        except (StaleVersion, InvalidTransition, NotPermitted) as exc:
            # Includes ConflictOfInterest: nothing was written; say why on the complaint page.
            messages.error(request, str(exc.message))
            return redirect("complaint-detail", pk=complaint.pk)
        else:
            messages.success(request, _("Done: %(action)s.") % {"action": act.label})
            return redirect("complaint-detail", pk=complaint.pk)
    return render(request, "complaints/detail.html", detail_context(request, complaint, form))
