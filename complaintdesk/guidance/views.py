"""Pages of the playbook (SPEC §8): the list, one entry, its edit form (CS director) and its
history; and recording a script's use from the complaint page's guidance panel. Thin: selectors
read (store scope through visible_store_ids / Complaint.objects.visible_to), services write."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from complaintdesk.complaints.views.common import complaint_or_404, is_htmx
from complaintdesk.core.errors import (
    DomainError,
    NotFound,
    NotPermitted,
    StaleVersion,
    ValidationFailed,
)
from complaintdesk.guidance import display, selectors, services
from complaintdesk.guidance.forms import (
    EntryForm,
    FilterForm,
    ScriptUseForm,
    branch_formset,
    branches_of,
    put_errors,
)
from complaintdesk.guidance.templatetags.guidance import panel_context


def _store_or_404(user, store_id):
    try:
        return selectors.store_for(user, store_id)
    except NotFound:
        raise Http404(_("Not found.")) from None


def _entry_or_404(store, code):
    try:
        return selectors.entry_for(store, code)
    except NotFound:
        raise Http404(_("Not found.")) from None


@login_required
@require_GET
def entry_list(request):
    stores = selectors.readable_stores(request.user)
    if not stores:
        raise PermissionDenied(_("You hold no role in any store."))
    form = FilterForm(request.GET or None, stores=stores)
    data = form.cleaned_data if form.is_valid() else {}
    if form.is_bound and "store" in form.errors:
        raise Http404(_("Not found."))  # a store the user has no role in
    store = _store_or_404(request.user, data.get("store") or stores[0].pk)
    entries = [
        e
        for e in selectors.entries_for_store(store)
        if (not data.get("kind") or e.kind == data["kind"])
        and (not data.get("nature") or not e.natures or data["nature"] in e.natures)
    ]
    return render(
        request,
        "guidance/list.html",
        {
            "form": form,
            "store": store,
            "entries": entries,
            "can_edit": selectors.can_edit(request.user, store),
            "several_stores": len(stores) > 1,
        },
    )


@login_required
@require_GET
def entry_detail(request, store_id, code):
    store = _store_or_404(request.user, store_id)
    entry = _entry_or_404(store, code)
    return render(
        request,
        "guidance/entry.html",
        {
            "store": store,
            "entry": entry,
            "branches": list(entry.branches.all()),
            "natures": display.value_text("natures", entry.natures),
            "steps": display.value_text("steps", entry.steps),
            "can_edit": selectors.can_edit(request.user, store),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def entry_edit(request, store_id, code):
    store = _store_or_404(request.user, store_id)
    if not selectors.can_edit(request.user, store):
        raise PermissionDenied(
            _("Only the store's customer service director may edit the playbook.")
        )
    entry = _entry_or_404(store, code)
    if request.method == "GET":
        form, formset = EntryForm.for_entry(entry), branch_formset(entry)
        return _edit_page(request, store, entry, form, formset)
    form, formset = EntryForm(request.POST), branch_formset(entry, request.POST)
    if form.is_valid() and (formset is None or formset.is_valid()):
        changes = form.changes()
        used_forms = []
        if formset is not None:
            changes["branches"], used_forms = branches_of(formset)
        try:
            services.entry_update(
                actor=request.user,
                store=store,
                code=entry.code,
                expected_version=form.cleaned_data["version"],
                **changes,
            )
        except NotPermitted as exc:
            raise PermissionDenied(str(exc.message)) from None
        except NotFound:
            raise Http404(_("Not found.")) from None
        except StaleVersion as exc:
            form.add_error(None, str(exc.message))
        except ValidationFailed as exc:
            _put_entry_errors(form, used_forms, exc)
        else:
            messages.success(request, _("Saved. The change is in the history."))
            return redirect("guidance:entry", store_id=store.pk, code=entry.code)
    return _edit_page(request, store, entry, form, formset, status=422)


@login_required
@require_POST
def entry_reset(request, store_id, code):
    """The store's CS director puts the store's version back to the shipped content."""
    store = _store_or_404(request.user, store_id)
    if not selectors.can_edit(request.user, store):
        raise PermissionDenied(
            _("Only the store's customer service director may edit the playbook.")
        )
    entry = _entry_or_404(store, code)
    version = request.POST.get("version", "")
    if not version.isascii() or not version.isdigit() or len(version) > 9:
        messages.error(request, _("The form came without its version: reload the page."))
        return redirect("guidance:entry", store_id=store.pk, code=entry.code)
    try:
        after = services.entry_reset(
            actor=request.user, store=store, code=entry.code, expected_version=int(version)
        )
    except NotPermitted as exc:
        raise PermissionDenied(str(exc.message)) from None
    except NotFound:
        raise Http404(_("Not found.")) from None
    except StaleVersion as exc:
        messages.error(request, str(exc.message))
    else:
        if after.version == int(version):
            messages.info(request, _("This entry already reads as shipped; nothing changed."))
        else:
            messages.success(request, _("Back to the shipped text. The change is in the history."))
    return redirect("guidance:entry", store_id=store.pk, code=entry.code)


def _put_entry_errors(form, branch_forms, exc: ValidationFailed) -> None:
    """Errors named branches.N.field go onto the N-th kept answer's form."""
    rest = {}
    for field, msgs in exc.errors.items():
        parts = field.split(".")
        if len(parts) == 3 and parts[0] == "branches" and parts[1].isdigit():
            i = int(parts[1])
            if i < len(branch_forms) and parts[2] in branch_forms[i].fields:
                for msg in msgs:
                    branch_forms[i].add_error(parts[2], str(msg))
                continue
        rest[field] = msgs
    if rest or not exc.errors:
        put_errors(form, ValidationFailed(exc.message, errors=rest))


def _edit_page(request, store, entry, form, formset, *, status=200):
    return render(
        request,
        "guidance/edit.html",
        {"store": store, "entry": entry, "form": form, "formset": formset},
        status=status,
    )


@login_required
@require_GET
def entry_history(request, store_id, code):
    store = _store_or_404(request.user, store_id)
    entry = _entry_or_404(store, code)
    rows = [
        {"revision": r, "changes": display.changes(r.before, r.after)}
        for r in selectors.revisions(entry)
    ]
    return render(request, "guidance/history.html", {"store": store, "entry": entry, "rows": rows})


@login_required
@require_POST
def script_use_add(request, pk):
    """The guidance panel's form: the script used and how the customer answered. An answer that
    ends the complaint closes it (workflow action settle_by_script) in the same transaction."""
    complaint = complaint_or_404(request.user, pk)
    form = ScriptUseForm(request.POST)
    if form.is_valid():
        try:
            use, complaint = services.script_use_record(
                actor=request.user, complaint_id=complaint.pk, **form.params()
            )
        except NotFound:
            raise Http404(_("Not found.")) from None
        except NotPermitted as exc:  # includes ConflictOfInterest: nothing was written
            raise PermissionDenied(str(exc.message)) from None
        except DomainError as exc:
            put_errors(form, exc)
        else:
            if use.ended:
                messages.success(
                    request,
                    _("Recorded; the complaint is closed: %(status)s.")
                    % {"status": complaint.get_status_display()},
                )
            else:
                messages.success(request, _("Recorded on the timeline."))
            return _back_to_complaint(request, complaint.pk)
    if is_htmx(request):
        return render(
            request,
            "guidance/_panel_body.html",
            panel_context(request.user, complaint, bound=form),
        )
    for field, errors in form.errors.items():
        for error in errors:
            messages.error(request, error if field == "__all__" else f"{field}: {error}")
    return redirect(reverse("complaint-detail", args=[complaint.pk]) + "#guidance-panel")


def _back_to_complaint(request, pk):
    url = reverse("complaint-detail", args=[pk])
    if is_htmx(request):
        response = HttpResponse(status=200)
        response["HX-Redirect"] = url
        return response
    return redirect(url)
