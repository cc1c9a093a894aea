"""Pages for pending matters, callbacks and the reception flag. Thin: selectors read (store
scope through Complaint.objects.visible_to), services and workflow.perform write."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from complaintdesk.complaints import workflow
from complaintdesk.complaints.normalize import is_valid_plate, is_valid_vin, normalize_phone
from complaintdesk.core.errors import ConflictOfInterest, DomainError, NotFound, NotPermitted
from complaintdesk.followup import selectors, services
from complaintdesk.followup.exporting import export_ledger_xlsx
from complaintdesk.followup.forms import (
    CallbackForm,
    ContactForm,
    HomeVisitForm,
    LedgerFilterForm,
    put_errors,
)
from complaintdesk.org.models import Role
from complaintdesk.org.selectors import stores_for, users_with_roles


def _ledger_filter(request) -> tuple[LedgerFilterForm, selectors.LedgerFilter]:
    form = LedgerFilterForm(request.GET or None)
    managers = {
        u.pk: u
        for store in stores_for(request.user)
        for u in users_with_roles(store, {Role.CUSTOMER_MANAGER})
    }.values()
    form.fields["manager"].widget.choices = [("", "—")] + [(u.pk, str(u)) for u in managers]
    data = form.cleaned_data if form.is_valid() else {}
    f = selectors.LedgerFilter(
        mine=request.GET.get("scope") == "mine",
        reason=data.get("reason") or "",
        manager=data.get("manager"),
        min_age_days=data.get("min_age_days"),
        contact_due_by=data.get("contact_due_by"),
    )
    return form, f


@login_required
@require_GET
def ledger(request):
    """SPEC §5's ledgers: ?scope=mine the customer manager's, otherwise the CS center's."""
    form, f = _ledger_filter(request)
    matters = list(selectors.pending_ledger(request.user, f))
    rows = [(m, selectors.age_days(m)) for m in matters]
    return render(
        request,
        "followup/ledger.html",
        {"form": form, "rows": rows, "mine": f.mine, "query": request.GET.urlencode()},
    )


@login_required
@require_GET
def ledger_export(request):
    _form, f = _ledger_filter(request)
    body = export_ledger_xlsx(selectors.pending_ledger(request.user, f))
    response = HttpResponse(
        body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="pending-matters.xlsx"'
    return response


def _matter_or_404(user, pk):
    try:
        return selectors.get_matter_for(user, pk)
    except NotFound:
        raise Http404(_("Not found.")) from None


def _matter_page(request, matter, *, contact_form=None, visit_form=None, status=200):
    return render(
        request,
        "followup/matter.html",
        {
            "m": matter,
            "c": matter.complaint,
            "age": selectors.age_days(matter),
            "contacts": matter.contacts.select_related("contacted_by"),
            "contact_form": contact_form or ContactForm(),
            "visit_form": visit_form or HomeVisitForm(),
            "involved": matter.complaint.involved_staff.filter(pk=request.user.pk).exists(),
        },
        status=status,
    )


@login_required
@require_GET
def matter_detail(request, pk):
    return _matter_page(request, _matter_or_404(request.user, pk))


def _write(request, pk, form, call, **page_forms):
    matter = _matter_or_404(request.user, pk)
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except (ConflictOfInterest, NotPermitted) as exc:
            raise PermissionDenied(str(exc.message)) from None
        except NotFound:
            raise Http404(_("Not found.")) from None
        except DomainError as exc:
            put_errors(form, exc)
        else:
            messages.success(request, _("Recorded."))
            return redirect("followup:matter", pk=pk)
    return _matter_page(request, matter, status=422, **page_forms)


@login_required
@require_POST
def contact_add(request, pk):
    form = ContactForm(request.POST)
    return _write(
        request,
        pk,
        form,
        lambda d: services.pending_contact_record(actor=request.user, complaint_id=pk, **d),
        contact_form=form,
    )


@login_required
@require_POST
def home_visit(request, pk):
    form = HomeVisitForm(request.POST)
    return _write(
        request,
        pk,
        form,
        lambda d: services.pending_home_visit_record(actor=request.user, complaint_id=pk, **d),
        visit_form=form,
    )


@login_required
@require_GET
def callback_queue(request):
    items = selectors.callback_queue(request.user)
    forms = [(i, CallbackForm(initial={"expected_version": i.complaint.version})) for i in items]
    return render(request, "followup/callbacks.html", {"items": forms})


@login_required
@require_POST
def callback_record(request, pk):
    form = CallbackForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say whether the customer was reached."))
        return redirect("followup:callbacks")
    data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
    try:
        workflow.perform("record_callback", pk, actor=request.user, **data)
    except NotFound:
        raise Http404(_("Not found.")) from None
    except (ConflictOfInterest, NotPermitted) as exc:
        raise PermissionDenied(str(exc.message)) from None
    except DomainError as exc:
        details = "; ".join(str(m) for msgs in exc.errors.values() for m in msgs)
        messages.error(request, f"{exc.message} {details}".strip())
    else:
        messages.success(request, _("Callback recorded."))
    return redirect("followup:callbacks")


def lookup_kind(q: str) -> dict:
    """Which reception lookup a search-box text is: a plate, a VIN, a phone, or none ({})."""
    if is_valid_plate(q):
        return {"plate": q}
    if is_valid_vin(q):
        return {"vin": q}
    digits = normalize_phone(q)
    if 7 <= len(digits) <= 15 and not any(ch.isalpha() for ch in q):
        return {"phone": q}
    return {}


@login_required
@require_GET
def lookup(request):
    """The top-bar search: a plate, VIN or phone shows that vehicle's / customer's open matters
    (the reception flag, SPEC §5); a form number or text goes to the complaint search."""
    q = request.GET.get("q", "").strip()
    kind = lookup_kind(q)
    if not kind:
        return redirect(f"{reverse('search')}?{urlencode({'q': q})}")
    found = selectors.lookup(request.user, **kind)
    return render(request, "followup/lookup.html", {"q": q, "found": found})
