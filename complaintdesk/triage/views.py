"""Triage pages: the suggestion panel of the intake form, and the CS director's rule editor.
Thin: selectors read (store scope through visible_store_ids, rule scope through the director's
groups), services write."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from complaintdesk.complaints.choices import Nature, Severity
from complaintdesk.core.errors import NotFound, NotPermitted, ValidationFailed
from complaintdesk.org.models import DealerGroup, Department, DepartmentKind, Store
from complaintdesk.org.selectors import visible_store_ids
from complaintdesk.triage import engine, presenters, selectors, services
from complaintdesk.triage.forms import RuleFilterForm, RuleForm, SuggestForm
from complaintdesk.triage.models import TriageRule

RULES_PER_PAGE = 100

# ---------------------------------------------------------------------------------------------
# The suggestion panel.


@login_required
@require_POST
def suggest(request):
    """POST (htmx, with the CSRF token of the form): the panel for the text typed so far. A store
    the user does not see is 404; text too long is 400; no text yet is a hint, not an error."""
    form = SuggestForm(request.POST)
    if not form.is_valid():
        return render(request, "triage/_suggestion.html", {"errors": form.errors}, status=400)
    d = form.cleaned_data
    try:
        store = selectors.store_for_suggestion(request.user, d["store"])
    except NotFound:
        raise Http404(_("Not found.")) from None
    context = {"store": store}
    try:
        texts = services.clean_suggest_input(d)
    except ValidationFailed:
        context["hint"] = True
        return render(request, "triage/_suggestion.html", context)
    s = services.suggest(group_id=store.group_id if store else None, **texts)
    department_ids = (
        dict(Department.objects.filter(store=store).values_list("kind", "pk")) if store else {}
    )
    data = s.as_dict()
    context.update(
        rows=presenters.field_rows(data, department_ids=department_ids),
        suggestion=s,
        tokens=_tokens(texts) if d["tokens"] else None,
        tester=d["tokens"],
    )
    return render(request, "triage/_suggestion.html", context)


def _tokens(texts: dict) -> list[str]:
    """The segmentation shown by the rule tester, so that a director sees why a keyword in
    whole-word mode did or did not match."""
    text = "\n".join(v for v in texts.values() if v)
    return [t.text for t in engine.tokenize(text)]


# ---------------------------------------------------------------------------------------------
# The rule editor (CS director).


def _group(request):
    try:
        return selectors.editor_group(
            request.user, request.GET.get("group") or request.POST.get("group")
        )
    except NotPermitted:
        raise PermissionDenied from None
    except NotFound:
        raise Http404(_("Not found.")) from None


def _rule(request, pk, group) -> TriageRule:
    try:
        return selectors.rule_for_editor(request.user, pk, group)
    except NotFound:
        raise Http404(_("Not found.")) from None


def _tester_store(user, group) -> Store | None:
    return Store.objects.filter(group=group, pk__in=visible_store_ids(user)).order_by("pk").first()


def _list_url(group) -> str:
    return f"{reverse('triage:rules')}?group={group.pk}"


@login_required
@require_GET
def rules(request):
    group = _group(request)
    form = RuleFilterForm(request.GET or None)
    f = form.cleaned_data if form.is_valid() else {}
    rows = selectors.rules_for_editor(
        group, target=f.get("target") or "", value=f.get("value") or "", q=f.get("q") or ""
    )
    page = Paginator(rows, RULES_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "triage/rules.html",
        {
            "group": group,
            "groups": DealerGroup.objects.filter(
                pk__in=selectors.directed_group_ids(request.user)
            ).order_by("name", "pk"),
            "form": form,
            "page": page,
            "count": len(rows),
            "query": query.urlencode(),
            "tester_store": _tester_store(request.user, group),
        },
    )


def _form_data(form) -> dict:
    return {k: v for k, v in form.cleaned_data.items()}


@login_required
def rule_new(request):
    group = _group(request)
    form = RuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.rule_create(actor=request.user, group_id=group.pk, **_form_data(form))
        except ValidationFailed as exc:
            form.add_domain_errors(exc)
        else:
            messages.success(request, _("The rule was added."))
            return redirect(_list_url(group))
    return render(request, "triage/rule_form.html", {"form": form, "group": group, "rule": None})


@login_required
def rule_edit(request, pk):
    group = _group(request)
    rule = _rule(request, pk, group)
    if rule.is_builtin:
        # The group's copy, once it exists, is what the group edits.
        copy = TriageRule.objects.filter(group=group, replaces=rule).first()
        if copy is not None:
            return redirect(f"{reverse('triage:rule-edit', args=[copy.pk])}?group={group.pk}")
    initial = {name: getattr(rule, name) for name in services.RULE_FIELDS}
    # A built-in note is stored in English and read in the reader's language (shown_note); the
    # form shows it so, and sending it back unchanged keeps the stored text.
    initial["note"] = presenters.shown_note(rule.note)
    form = RuleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = _form_data(form)
        if data.get("note") == initial["note"]:
            data["note"] = rule.note
        try:
            services.rule_update(actor=request.user, rule_id=rule.pk, group_id=group.pk, **data)
        except ValidationFailed as exc:
            form.add_domain_errors(exc)
        else:
            messages.success(request, _("The rule was saved."))
            return redirect(_list_url(group))
    return render(request, "triage/rule_form.html", {"form": form, "group": group, "rule": rule})


@login_required
@require_POST
def rule_toggle(request, pk):
    group = _group(request)
    rule = _rule(request, pk, group)
    if request.POST.get("enabled") not in ("0", "1"):
        messages.error(request, _("Say whether to enable (1) or disable (0) the rule."))
        return redirect(_list_url(group))
    enabled = request.POST["enabled"] == "1"
    services.rule_set_enabled(
        actor=request.user, rule_id=rule.pk, group_id=group.pk, enabled=enabled
    )
    messages.success(
        request, _("The rule was enabled.") if enabled else _("The rule was disabled.")
    )
    return redirect(_list_url(group))


def _shown(name: str, value):
    """A stored rule field as the history shows it: choice labels, yes/no, not codes."""
    if value is None or value == "":
        return "—"
    if name == "note":
        return presenters.shown_note(value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    field = TriageRule._meta.get_field(name)
    labels = dict(field.choices or ())
    if name == "value":
        labels = {**dict(Nature.choices), **dict(Severity.choices), **dict(DepartmentKind.choices)}
    return labels.get(value, value)


@login_required
@require_GET
def rule_history(request, pk):
    group = _group(request)
    rule = _rule(request, pk, group)
    revisions = list(rule.revisions.select_related("actor"))
    if rule.replaces_id:
        # A group's copy: its history starts with the built-in rule it adapts.
        built_in = rule.replaces
    else:
        built_in = None
    rows = []
    for rev in revisions:
        before = rev.before or {}
        changes = [
            (
                TriageRule._meta.get_field(name).verbose_name,
                _shown(name, before.get(name)),
                _shown(name, rev.after.get(name)),
            )
            for name in services.RULE_FIELDS
            if before.get(name) != rev.after.get(name)
        ]
        rows.append({"rev": rev, "changes": changes})
    return render(
        request,
        "triage/rule_history.html",
        {
            "group": group,
            "rule": rule,
            "built_in": built_in,
            "rows": rows,
            "store": _tester_store(request.user, group),
        },
    )
