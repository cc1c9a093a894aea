"""The dashboard, figure downloads, summaries on demand, the printable form, 奖罚 and 通报."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from complaintdesk.complaints.selectors import get_complaint_for
from complaintdesk.core.errors import DomainError, NotFound
from complaintdesk.org.models import Store
from complaintdesk.reports import selectors, services, summaries
from complaintdesk.reports.forms import NoticeForm, PeriodForm, SanctionForm


def _period(request):
    stores = Store.objects.filter(pk__in=selectors.dashboard_store_ids(request.user))
    form = PeriodForm(request.GET or None, stores=stores)
    start, end = selectors.default_period()
    store = None
    if form.is_bound and form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
        store = form.cleaned_data["store"]
    elif form.is_bound:
        raise Http404
    return form, store, start, end


def _figures(request):
    form, store, start, end = _period(request)
    try:
        figs = selectors.dashboard(request.user, store=store, start=start, end=end)
    except NotFound:
        raise Http404 from None
    return form, store, start, end, figs


@login_required
@require_GET
def dashboard(request):
    form, store, start, end, figs = _figures(request)
    list_url = reverse("complaint-list")
    for fig in figs:
        for row in fig.rows:
            row.url = f"{list_url}?{urlencode(row.params)}"
            if "late_params" in row.extra:
                row.late_url = f"{list_url}?{urlencode(row.extra['late_params'])}"
    query = request.GET.urlencode()
    return render(
        request,
        "reports/dashboard.html",
        {
            "form": form,
            "figures": figs,
            "start": start,
            "end": end,
            "query": query,
        },
    )


@login_required
@require_GET
def figure_xlsx(request, name):
    _form, store, start, end, figs = _figures(request)
    chosen = [f for f in figs if f.name == name or name == "all"]
    if not chosen:
        raise Http404
    response = HttpResponse(summaries.figures_xlsx(chosen), content_type=summaries.XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}-{start}-{end}.xlsx"'
    return response


@login_required
@require_GET
def summary_xlsx(request):
    """A scheduled summary for any past period of one store, on demand."""
    form, store, start, end = _period(request)
    if store is None:
        raise Http404
    kind = form.cleaned_data.get("kind") or summaries.FEEDBACK
    shop = Store.objects.get(pk=store)
    response = HttpResponse(summaries.build(kind, shop, start, end), content_type=summaries.XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="{kind}-{shop.code}-{start}-{end}.xlsx"'
    )
    return response


@login_required
@require_GET
def form_print(request, pk):
    try:
        complaint = get_complaint_for(request.user, pk)
    except NotFound:
        raise Http404 from None
    steps = complaint.steps.filter(track="workflow").select_related("finished_by", "assignee")
    return render(request, "reports/print.html", {"c": complaint, "steps": steps})


def _post(request, pk, form_class, call):
    form = form_class(request.POST)
    if form.is_valid():
        try:
            call(form.cleaned_data)
            messages.success(request, _("Saved."))
        except NotFound:
            raise Http404 from None
        except DomainError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, _("Please correct the form."))
    return redirect("complaint-detail", pk=pk)


@login_required
@require_POST
def sanction_add(request, pk):
    return _post(
        request,
        pk,
        SanctionForm,
        lambda d: services.sanction_record(
            actor=request.user,
            complaint_id=pk,
            kind=d["kind"],
            amount=d["amount"],
            reason=d["reason"],
            person_id=d["person"],
            department_id=d["department"],
        ),
    )


@login_required
@require_POST
def notice_add(request, pk):
    return _post(
        request,
        pk,
        NoticeForm,
        lambda d: services.notice_issue(
            actor=request.user, complaint_id=pk, title=d["title"], body=d["body"]
        ),
    )
