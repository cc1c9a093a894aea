"""The three-guarantees pages: the complaint panel's forms, the DMS import page and the store's
thresholds. Thin: the complaint is read through complaints' access check (another store's is a
404), services write, a refusal is a 403 (conflict of interest, role) or the form again with the
field errors (422)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from complaintdesk.complaints.importing import ImportRefused
from complaintdesk.complaints.views.common import complaint_or_404
from complaintdesk.complaints.views.pages import detail_context
from complaintdesk.core.errors import ConflictOfInterest, DomainError, NotFound, NotPermitted
from complaintdesk.org.selectors import roles_in_store, stores_for
from complaintdesk.warranty import importing, selectors, services
from complaintdesk.warranty.forms import (
    ImportForm,
    ThresholdForm,
    VehicleFactsForm,
    VisitForm,
    put_errors,
)
from complaintdesk.warranty.importing import import_repairs_file

MAX_UPLOAD = 20 * 1024 * 1024


def _panel_url(pk) -> str:
    return reverse("complaint-detail", args=[pk]) + "#warranty-panel"


def _write(request, pk, form, prefix: str, call):
    """Run a panel write; on field errors show the complaint page again with the form open."""
    complaint = complaint_or_404(request.user, pk)
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except NotFound:
            raise Http404(_("Not found.")) from None
        except (ConflictOfInterest, NotPermitted) as exc:
            raise PermissionDenied(str(exc.message)) from None
        except DomainError as exc:
            put_errors(form, exc)
        else:
            messages.success(request, _("Recorded."))
            return redirect(_panel_url(pk))
    context = detail_context(request, complaint)
    context["warranty_bound"] = {prefix: form}
    return render(request, "complaints/detail.html", context, status=422)


@login_required
@require_POST
def facts(request, pk):
    form = VehicleFactsForm(request.POST)
    return _write(
        request,
        pk,
        form,
        "facts",
        lambda d: services.vehicle_facts_set(actor=request.user, complaint_id=pk, **d),
    )


@login_required
@require_POST
def visit_save(request, pk):
    """Record a new visit (prefix "new": a repair order number already recorded is a field
    error), or correct the visit of prefix "v<id>" — that visit, its number included."""
    prefix = request.GET.get("prefix", "new")
    if prefix != "new" and not (prefix.startswith("v") and prefix[1:].isdigit()):
        raise Http404(_("Not found."))
    visit_id = None if prefix == "new" else int(prefix[1:])
    if visit_id is not None and not 0 < visit_id <= 2**63 - 1:
        raise Http404(_("Not found."))
    form = VisitForm(request.POST, prefix=prefix)
    return _write(
        request,
        pk,
        form,
        prefix,
        lambda d: services.repair_visit_record(
            actor=request.user, complaint_id=pk, visit_id=visit_id, **form.service_kwargs()
        ),
    )


def _simple(request, pk, call):
    complaint_or_404(request.user, pk)
    try:
        call()
    except NotFound:
        raise Http404(_("Not found.")) from None
    except (ConflictOfInterest, NotPermitted) as exc:
        raise PermissionDenied(str(exc.message)) from None
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Recorded."))
    return redirect(_panel_url(pk))


@login_required
@require_POST
def visit_fault(request, pk, visit_id):
    value = request.POST.get("is_complaint_fault") == "true"
    return _simple(
        request,
        pk,
        lambda: services.repair_visit_set_fault(
            actor=request.user, complaint_id=pk, visit_id=visit_id, is_complaint_fault=value
        ),
    )


@login_required
@require_POST
def visit_delete(request, pk, visit_id):
    return _simple(
        request,
        pk,
        lambda: services.repair_visit_delete(
            actor=request.user, complaint_id=pk, visit_id=visit_id
        ),
    )


def _import_stores(user):
    return [s for s in stores_for(user) if roles_in_store(user, s) & services.EDIT_ROLES]


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request):
    """Upload repair orders exported from the DMS (CS center, after-sales, management)."""
    stores = _import_stores(request.user)
    if not stores:
        raise PermissionDenied(
            _("Only the customer service center, after-sales and management import repair history.")
        )
    complaint = None
    complaint_id = request.POST.get("complaint") or request.GET.get("complaint")
    if complaint_id:
        complaint = complaint_or_404(request.user, complaint_id)
    form = ImportForm(
        request.POST or None,
        request.FILES or None,
        stores=stores,
        initial={
            "complaint": complaint.pk if complaint else None,
            "store": complaint.store_id if complaint else None,
        },
    )
    report, status = None, 200
    if request.method == "POST" and form.is_valid():
        store = next(s for s in stores if s.pk == form.cleaned_data["store"])
        upload = form.cleaned_data["file"]
        if complaint is not None and complaint.involved_staff.filter(pk=request.user.pk).exists():
            raise PermissionDenied(str(ConflictOfInterest.default_message))
        if upload.size > MAX_UPLOAD:
            form.add_error("file", _("At most 20 MB."))
        else:
            try:
                report = import_repairs_file(
                    upload.name,
                    upload.read(),
                    store=store,
                    actor=request.user,
                    complaint=complaint,
                    dry_run=form.cleaned_data["dry_run"],
                    max_rows=importing.WEB_MAX_ROWS,
                )
            except ImportRefused as exc:
                form.add_error("file", str(exc.message))
            except (ConflictOfInterest, NotPermitted) as exc:
                raise PermissionDenied(str(exc.message)) from None
    if request.method == "POST" and (form.errors or (report is not None and not report.ok)):
        status = 422
    return render(
        request,
        "warranty/import.html",
        {"form": form, "report": report, "complaint": complaint},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def thresholds(request):
    """The regulation's numbers and the store's own, more generous ones (its CS director's)."""
    stores = list(stores_for(request.user))
    if not stores:
        raise Http404(_("Not found."))
    store = stores[0]
    wanted = request.POST.get("store") or request.GET.get("store")
    if wanted:
        store = next((s for s in stores if str(s.pk) == str(wanted)), None)
        if store is None:
            raise Http404(_("Not found."))
    may_edit = bool(roles_in_store(request.user, store) & services.THRESHOLD_ROLES)
    form = ThresholdForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied(
                _("Only the customer service director sets the store's thresholds.")
            )
        if form.is_valid():
            try:
                services.threshold_set(actor=request.user, store=store, **form.cleaned_data)
            except DomainError as exc:
                put_errors(form, exc)
            else:
                messages.success(request, _("Recorded."))
                return redirect(f"{reverse('warranty:thresholds')}?store={store.pk}")
        status = 422
    return render(
        request,
        "warranty/thresholds.html",
        {
            "stores": stores,
            "store": store,
            "rows": selectors.thresholds_table(store),
            "form": form,
            "may_edit": may_edit,
        },
        status=status,
    )


@login_required
@require_POST
def threshold_delete(request, pk):
    try:
        services.threshold_remove(actor=request.user, threshold_id=pk)
    except NotFound:
        raise Http404(_("Not found.")) from None
    except NotPermitted as exc:
        raise PermissionDenied(str(exc.message)) from None
    messages.success(request, _("The regulation's value applies again."))
    return redirect(f"{reverse('warranty:thresholds')}?store={request.POST.get('store', '')}")
