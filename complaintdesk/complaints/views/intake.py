"""Writes through forms: a new complaint, a correction of its details, being absent."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from complaintdesk.complaints import services
from complaintdesk.complaints.forms import ComplaintCreateForm, ComplaintEditForm
from complaintdesk.complaints.views.common import complaint_or_404, edit_refusal
from complaintdesk.core.errors import (
    InvalidTransition,
    NotFound,
    NotPermitted,
    StaleVersion,
    ValidationFailed,
)


@login_required
def complaint_new(request):
    form = ComplaintCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            complaint = services.complaint_create(
                actor=request.user, triage={"entry": "ui"}, **form.service_kwargs()
            )
        except ValidationFailed as exc:
            form.add_domain_errors(exc)
        except (NotFound, NotPermitted) as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(
                request, _("Complaint %(number)s registered.") % {"number": complaint.number}
            )
            return redirect("complaint-detail", pk=complaint.pk)
    return render(request, "complaints/new.html", {"form": form})


@login_required
def complaint_edit(request, pk):
    complaint = complaint_or_404(request.user, pk)
    refusal = edit_refusal(complaint, request.user)
    if refusal:
        messages.error(request, refusal)
        return redirect("complaint-detail", pk=complaint.pk)
    form = ComplaintEditForm(request.POST or None, complaint=complaint)
    conflict = False
    if request.method == "POST" and form.is_valid():
        changes = form.changes()
        if not changes:
            messages.info(request, _("Nothing was changed."))
            return redirect("complaint-detail", pk=complaint.pk)
        try:
            services.complaint_update(
                actor=request.user,
                complaint_id=complaint.pk,
                expected_version=form.cleaned_data["expected_version"],
                **changes,
            )
        except StaleVersion as exc:
            # Refused, not merged: the user's input stays on screen to be applied again.
            conflict = True
            form.add_error(None, str(exc.message))
        except ValidationFailed as exc:
            form.add_domain_errors(exc)
        except (InvalidTransition, NotPermitted) as exc:
            messages.error(request, str(exc.message))
            return redirect("complaint-detail", pk=complaint.pk)
        else:
            messages.success(request, _("The details were saved."))
            return redirect("complaint-detail", pk=complaint.pk)
    return render(
        request,
        "complaints/edit.html",
        {"form": form, "complaint": complaint, "conflict": conflict},
    )


@login_required
@require_POST
def set_absent(request):
    """Mark oneself absent or back on duty; open steps move to the secondary (SPEC §1)."""
    absent = request.POST.get("absent") == "1"
    moved = services.staff_set_absent(actor=request.user, user=request.user, absent=absent)
    if absent:
        messages.success(
            request,
            _("You are marked absent. %(n)d open steps were handed on.") % {"n": moved},
        )
    else:
        messages.success(
            request,
            _("You are back on duty. %(n)d open steps came back to you.") % {"n": moved},
        )
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = "my-work"
    return redirect(back)
