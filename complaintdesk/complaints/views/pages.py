"""Read pages: my work, the list (with export and search), one complaint."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from complaintdesk.complaints import selectors, services, workflow
from complaintdesk.complaints.action_forms import ActionForm
from complaintdesk.complaints.choices import Remedy, StepTrack
from complaintdesk.complaints.forms import ComplaintFilterForm, department_label
from complaintdesk.complaints.views.common import (
    complaint_or_404,
    edit_refusal,
    is_htmx,
    is_involved,
)
from complaintdesk.complaints.views.display import timeline_rows
from complaintdesk.core.errors import NotFound, ValidationFailed
from complaintdesk.org.selectors import visible_store_ids

PAGE_SIZE = 50
MY_WORK_LIMIT = 200
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require_GET
def my_work(request):
    now = timezone.now()
    qs = selectors.my_work(request.user)
    counts = qs.aggregate(
        total=Count("id", distinct=True),
        overdue=Count("id", distinct=True, filter=Q(current_step__due_at__lt=now)),
        soon=Count(
            "id",
            distinct=True,
            filter=Q(
                current_step__due_at__gte=now,
                current_step__due_at__lte=now + dt.timedelta(hours=1),
            ),
        ),
    )
    return render(
        request,
        "complaints/my_work.html",
        {
            "complaints": list(qs[:MY_WORK_LIMIT]),
            "counts": counts,
            "limit": MY_WORK_LIMIT,
            "several_stores": len(visible_store_ids(request.user)) > 1,
        },
    )


@login_required
@require_GET
@vary_on_headers("HX-Request")
def complaint_list(request):
    form = ComplaintFilterForm(request.GET, user=request.user)
    page = None
    if form.is_valid():
        qs = selectors.complaint_list(request.user, form.to_filter())
        page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    template = "complaints/_list_results.html" if is_htmx(request) else "complaints/list.html"
    several = len(visible_store_ids(request.user)) > 1
    return render(request, template, {"form": form, "page": page, "several_stores": several})


@login_required
@require_GET
def complaint_export(request):
    """The filtered list as an Excel file (the same filters and store scope as the list)."""
    form = ComplaintFilterForm(request.GET, user=request.user)
    if not form.is_valid():
        messages.error(request, _("Fix the filters before exporting."))
        return redirect(f"{reverse('complaint-list')}?{request.GET.urlencode()}")
    from complaintdesk.complaints.exporting import export_complaints_xlsx

    data = export_complaints_xlsx(selectors.complaint_list(request.user, form.to_filter()))
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="complaints-{stamp}.xlsx"'
    return response


@login_required
@require_GET
def search(request):
    """The nav search box: a form number opens that form, anything else searches the list."""
    q = request.GET.get("q", "").strip()
    if q:
        for number in dict.fromkeys([q, q.upper()]):
            try:
                complaint = services.complaint_for_number(request.user, number)
            except NotFound:
                continue
            except ValidationFailed:
                break  # the same number in several of the user's stores: the list shows them
            return redirect("complaint-detail", pk=complaint.pk)
    return redirect(f"{reverse('complaint-list')}?{urlencode({'q': q})}")


@login_required
@require_GET
def complaint_by_number(request, number):
    try:
        complaint = services.complaint_for_number(request.user, number)
    except NotFound:
        raise Http404(_("Not found.")) from None
    except ValidationFailed as exc:
        messages.info(request, str(exc.message))
        return redirect(f"{reverse('complaint-list')}?{urlencode({'q': number})}")
    return redirect("complaint-detail", pk=complaint.pk)


def detail_context(request, complaint, bound: ActionForm | None = None) -> dict:
    user = request.user
    actions = sorted(workflow.available_actions(complaint, user), key=_action_order(complaint))
    forms = [
        bound if bound is not None and bound.action.name == act.name else ActionForm(act, complaint)
        for act in actions
    ]
    events = selectors.timeline(complaint)
    return {
        "complaint": complaint,
        "step": complaint.current_step,
        "involved": is_involved(complaint, user),
        "action_forms": forms,
        "open_action": bound.action.name if bound is not None else request.GET.get("action"),
        "can_edit": edit_refusal(complaint, user) is None,
        "involved_staff": list(complaint.involved_staff.all()),
        "remedies": [Remedy(v).label for v in complaint.remedies or [] if v in Remedy.values],
        "concerned_department": _dept(complaint.concerned_department),
        "responsible_department": _dept(complaint.responsible_department),
        "timeline": timeline_rows(complaint, events),
        # SPEC §9 deadlines that run beside the workflow (consumer notice, refund answer…).
        "legal_deadlines": complaint.steps.filter(
            track=StepTrack.REGULATORY, finished_at__isnull=True
        ).order_by("due_at"),
    }


STYLE_ORDER = {"primary": 0, "secondary": 1, "warning": 2, "danger": 3}


def _action_order(complaint):
    """The action that finishes the current step first, then by weight; the rest as declared."""
    step = complaint.current_step
    main = workflow.STEP_MAIN_ACTION.get(step.kind) if step is not None else None

    def key(act):
        return (act.name != main, STYLE_ORDER.get(act.style, 1))

    return key


def _dept(dept):
    return department_label(dept) if dept is not None else ""


@login_required
@require_GET
def complaint_detail(request, pk):
    complaint = complaint_or_404(request.user, pk)
    return render(request, "complaints/detail.html", detail_context(request, complaint))
