"""Forms of the playbook pages. They only parse; guidance.services validates and reports the
field that is wrong, and its errors are put back onto these fields."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from complaintdesk.complaints.choices import Nature, Remedy
from complaintdesk.guidance.choices import STEP_CHOICES, Effect, EntryKind
from complaintdesk.guidance.services import MAX_BRANCHES, MAX_NOTE, MAX_ORDER, MAX_TEXT, MAX_TITLE

SMALL = {"class": "form-control form-control-sm"}
SELECT = {"class": "form-select form-select-sm"}
CHECKS = {"class": "form-check-input"}


def put_errors(form: forms.Form, exc, *, prefix: str = "") -> None:
    """A service's ValidationFailed onto a form: known fields by name, the rest as form errors."""
    if not exc.errors:
        form.add_error(None, str(exc.message))
    for field, messages in exc.errors.items():
        name = field[len(prefix) :] if prefix and field.startswith(prefix) else field
        for message in messages:
            if name in form.fields:
                form.add_error(name, str(message))
            else:
                form.add_error(None, f"{field}: {message}" if field else str(message))


class FilterForm(forms.Form):
    store = forms.TypedChoiceField(
        label=_("Store"), coerce=int, required=False, widget=forms.Select(attrs=SELECT)
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("", _("All kinds"))] + EntryKind.choices,
        required=False,
        widget=forms.Select(attrs=SELECT),
    )
    nature = forms.ChoiceField(
        label=_("Fits the nature"),
        choices=[("", _("All natures"))] + Nature.choices,
        required=False,
        widget=forms.Select(attrs=SELECT),
    )

    def __init__(self, *args, stores=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["store"].choices = [(s.pk, str(s)) for s in stores]


class EntryForm(forms.Form):
    title_zh = forms.CharField(
        label=_("Title (Chinese)"), max_length=MAX_TITLE, widget=forms.TextInput(attrs=SMALL)
    )
    title_en = forms.CharField(
        label=_("Title (English)"), max_length=MAX_TITLE, widget=forms.TextInput(attrs=SMALL)
    )
    body_zh = forms.CharField(
        label=_("Text (Chinese)"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={**SMALL, "rows": 6}),
    )
    body_en = forms.CharField(
        label=_("Text (English)"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={**SMALL, "rows": 6}),
    )
    natures = forms.MultipleChoiceField(
        label=_("Natures it fits (none ticked: all)"),
        choices=Nature.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs=CHECKS),
    )
    steps = forms.MultipleChoiceField(
        label=_("Steps it fits (none ticked: all)"),
        choices=STEP_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs=CHECKS),
    )
    order = forms.IntegerField(
        label=_("Order"), min_value=0, max_value=MAX_ORDER, widget=forms.NumberInput(attrs=SMALL)
    )
    active = forms.BooleanField(
        label=_("Shown to handlers"), required=False, widget=forms.CheckboxInput(attrs=CHECKS)
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    @classmethod
    def for_entry(cls, entry):
        return cls(
            initial={
                "title_zh": entry.title_zh,
                "title_en": entry.title_en,
                "body_zh": entry.body_zh,
                "body_en": entry.body_en,
                "natures": list(entry.natures or []),
                "steps": list(entry.steps or []),
                "order": entry.order,
                "active": entry.active,
                "version": entry.version,
            }
        )

    def changes(self) -> dict:
        data = self.cleaned_data
        return {
            name: data[name]
            for name in (
                "title_zh",
                "title_en",
                "body_zh",
                "body_en",
                "natures",
                "steps",
                "order",
                "active",
            )
        }


class BranchForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=50,
        required=False,
        widget=forms.TextInput(attrs={**SMALL, "pattern": r"[a-z0-9][a-z0-9_\-]*"}),
    )
    label_zh = forms.CharField(
        label=_("Customer's answer (Chinese)"),
        max_length=MAX_TITLE,
        required=False,
        widget=forms.TextInput(attrs=SMALL),
    )
    label_en = forms.CharField(
        label=_("Customer's answer (English)"),
        max_length=MAX_TITLE,
        required=False,
        widget=forms.TextInput(attrs=SMALL),
    )
    reply_zh = forms.CharField(
        label=_("Our reply (Chinese)"),
        max_length=MAX_TEXT,
        required=False,
        widget=forms.Textarea(attrs={**SMALL, "rows": 2}),
    )
    reply_en = forms.CharField(
        label=_("Our reply (English)"),
        max_length=MAX_TEXT,
        required=False,
        widget=forms.Textarea(attrs={**SMALL, "rows": 2}),
    )
    effect = forms.ChoiceField(
        label=_("Effect"),
        choices=Effect.choices,
        initial=Effect.CONTINUES,
        widget=forms.Select(attrs=SELECT),
    )
    remedies = forms.MultipleChoiceField(
        label=_("Remedies recorded when it ends the complaint"),
        choices=Remedy.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs=CHECKS),
    )

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {}) or {}
        return not any(
            data.get(n) for n in ("code", "label_zh", "label_en", "reply_zh", "reply_en")
        )


BranchFormSet = forms.formset_factory(
    BranchForm,
    extra=1,
    can_delete=True,
    max_num=MAX_BRANCHES,
    validate_max=True,
    # A tampered TOTAL_FORMS renders no more than this (Django's default is 1,000).
    absolute_max=MAX_BRANCHES + 1,
)


def branch_formset(entry=None, data=None):
    if entry is None or entry.kind != EntryKind.SCRIPT:
        return None
    if data is not None:
        return BranchFormSet(data, prefix="branches")
    initial = [
        {
            "code": b.code,
            "label_zh": b.label_zh,
            "label_en": b.label_en,
            "reply_zh": b.reply_zh,
            "reply_en": b.reply_en,
            "effect": b.effect,
            "remedies": list(b.remedies or []),
        }
        for b in entry.branches.order_by("order", "id")
    ]
    return BranchFormSet(initial=initial, prefix="branches")


def branches_of(formset) -> tuple[list[dict], list[BranchForm]]:
    """The answers to keep, in order, and the form each came from (to put errors back)."""
    rows, forms_used = [], []
    for form in formset.forms:
        if form.cleaned_data.get("DELETE") or form.is_blank():
            continue
        data = {k: v for k, v in form.cleaned_data.items() if k != "DELETE"}
        rows.append(data)
        forms_used.append(form)
    return rows, forms_used


class ScriptUseForm(forms.Form):
    """Recording a script's use from the complaint page's guidance panel."""

    script = forms.CharField(max_length=50, widget=forms.HiddenInput)
    branch = forms.CharField(label=_("Customer's answer"), max_length=50, required=False)
    note = forms.CharField(
        label=_("Note"),
        max_length=MAX_NOTE,
        required=False,
        widget=forms.Textarea(attrs={**SMALL, "rows": 2}),
    )
    nature = forms.ChoiceField(
        label=_("Nature"),
        choices=[("", "—")] + Nature.choices,
        required=False,
        widget=forms.Select(attrs=SELECT),
    )
    callback_required = forms.BooleanField(
        label=_("Call the customer back after completion"),
        required=False,
        widget=forms.CheckboxInput(attrs=CHECKS),
    )

    def params(self) -> dict:
        data = self.cleaned_data
        return {
            "script": data["script"],
            "branch": data.get("branch") or "",
            "note": data.get("note") or "",
            "nature": data.get("nature") or None,
            "callback_required": bool(data.get("callback_required")),
        }
