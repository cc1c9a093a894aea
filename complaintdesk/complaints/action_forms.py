"""One small form per workflow action, built from the action's keyword-only parameters.

The form only parses (choices, yes/no, departments of the complaint's store); the action itself
validates and its ValidationFailed errors are put back onto these fields. A parameter without a
field spec here still gets a text box, so a new action works in the UI before it is styled.
"""

from __future__ import annotations

import inspect

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _

from complaintdesk.complaints.choices import (
    UNDETERMINABLE_NATURES,
    Nature,
    Outcome,
    Remedy,
    Severity,
)
from complaintdesk.complaints.forms import DATE_FORMAT, department_label
from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.workflow import Action
from complaintdesk.followup.choices import Satisfaction
from complaintdesk.org.models import Role
from complaintdesk.org.selectors import users_with_roles

YES_NO = [("true", _("Yes")), ("false", _("No"))]

LABELS = {
    "nature": _("Nature"),
    "severity": _("Severity"),
    "concerned_department": _("Department concerned"),
    "customer_manager": _("Customer manager"),
    "comment": _("Comment"),
    "responsible_department": _("Responsible department"),
    "responsibility_finding": _("Responsibility finding"),
    "handling_opinion": _("Handling opinion"),
    "remedies": _("Remedies"),
    "responsible_staff_note": _("People responsible"),
    "customer_informed": _("The customer has been informed"),
    "callback_required": _("Call the customer back after completion"),
    "reason": _("Reason"),
    "outcome": _("Judgement"),
    "explanation": _("Explanation to the customer"),
    "agreed": _("Management agrees with the handling opinion"),
    "opinion": _("Fault handling opinion (or the negotiated opinion)"),
    "decision": _("GM decision"),
    "accountability_note": _("Accountability carried out"),
    "reached": _("Customer reached"),
    "satisfied": _("Customer satisfied"),
    "satisfaction": _("Satisfaction"),
    "customer_words": _("Customer's words"),
    "how": _("How the customer was told"),
    "reference": _("Regulator's reference"),
    "accept_by": _("Regulator decides on acceptance by"),
    "mediation_end": _("Mediation ends on"),
    "answer": _("Answer given to the customer"),
    "script": _("Handling script"),
    "branch": _("Customer's answer"),
}
# Same parameter name, different meaning in one action.
ACTION_LABELS = {
    ("propose_pending", "reason"): _("Why responsibility cannot be determined yet"),
    ("void", "reason"): _("Why the complaint is voided"),
    ("resume", "nature"): _("Nature, now that responsibility can be determined"),
}
TEXTAREAS = {
    "comment",
    "responsibility_finding",
    "handling_opinion",
    "explanation",
    "opinion",
    "decision",
    "accountability_note",
    "customer_words",
    "reason",
    "how",
    "answer",
}
DATE_PARAMS = {"accept_by", "mediation_end"}
YES_NO_PARAMS = {"agreed", "reached", "satisfied"}  # None ("not said") is meaningful
CHECKBOX_PARAMS = {"customer_informed", "callback_required"}
DEPARTMENT_PARAMS = {"concerned_department", "responsible_department"}


def _select(choices, *, label, initial=None):
    return forms.ChoiceField(
        label=label,
        choices=choices,
        required=False,
        initial=initial,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )


def _nature_choices(action_name: str) -> list:
    if action_name == "propose_pending":
        return [(v, label) for v, label in Nature.choices if v in UNDETERMINABLE_NATURES]
    if action_name == "resume":
        return [(v, label) for v, label in Nature.choices if v not in UNDETERMINABLE_NATURES]
    return list(Nature.choices)


def _field(act: Action, name: str, param: inspect.Parameter, c: Complaint) -> forms.Field:
    """Every field is optional to the form: whether a value is needed (and whether the user may
    act at all) is the action's decision, reported per field by perform(). Parameters without a
    default are marked required in the HTML as a hint."""
    field = _make_field(act, name, param, c)
    if param.default is inspect.Parameter.empty and name not in YES_NO_PARAMS:
        field.widget.attrs["required"] = True
    return field


def _make_field(act: Action, name: str, param: inspect.Parameter, c: Complaint) -> forms.Field:
    label = ACTION_LABELS.get((act.name, name)) or LABELS.get(name) or name.replace("_", " ")
    blank = [("", "—")]
    if name == "nature" or (act.name == "propose_pending" and name == "reason"):
        # Registering starts from the nature judged at intake (by the filer, maybe from the triage
        # suggestion); changing it starts from the current one.
        initial = c.nature if act.name in ("change_nature", "accept") else None
        return _select(blank + _nature_choices(act.name), label=label, initial=initial)
    if name == "severity":
        return _select(Severity.choices, label=label, initial=c.severity)
    if name == "outcome":
        choices = [(v, lbl) for v, lbl in Outcome.choices if v != Outcome.RESOLVED]
        return _select(blank + choices, label=label)
    if name in DEPARTMENT_PARAMS:
        departments = [(d.pk, department_label(d)) for d in c.store.departments.all()]
        initial = c.concerned_department_id if name == "concerned_department" else None
        return _select(blank + departments, label=label, initial=initial)
    if name == "customer_manager":
        involved = set(c.involved_staff.values_list("pk", flat=True))
        managers = [
            (u.pk, str(u))
            for u in users_with_roles(c.store, {Role.CUSTOMER_MANAGER}).order_by("pk")
            if u.pk not in involved
        ]
        return _select([("", _("Me, if I am a customer manager"))] + managers, label=label)
    if name == "remedies":
        return forms.MultipleChoiceField(
            label=label,
            choices=Remedy.choices,
            required=False,
            widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        )
    if name == "proportion":
        from complaintdesk.reports.models import Proportion

        return _select(blank + Proportion.choices, label=label)
    if name == "satisfaction":
        return forms.TypedChoiceField(
            label=label,
            choices=blank + Satisfaction.choices,
            coerce=int,
            empty_value=None,
            required=False,
            widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
        )
    if name in YES_NO_PARAMS:
        return forms.TypedChoiceField(
            label=label,
            choices=YES_NO,
            coerce=lambda v: v == "true",
            empty_value=None,
            required=False,
            widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        )
    if name in DATE_PARAMS:
        return forms.DateField(
            label=label,
            required=False,
            input_formats=[DATE_FORMAT],
            widget=forms.DateInput(
                format=DATE_FORMAT,
                attrs={"type": "date", "class": "form-control form-control-sm"},
            ),
        )
    if name in CHECKBOX_PARAMS:
        return forms.BooleanField(
            label=label,
            required=False,
            initial=param.default is True,
            widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
        )
    widget = (
        forms.Textarea(attrs={"class": "form-control form-control-sm", "rows": 2})
        if name in TEXTAREAS
        else forms.TextInput(attrs={"class": "form-control form-control-sm"})
    )
    return forms.CharField(label=label, required=False, widget=widget)


class ActionForm(forms.Form):
    expected_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, act: Action, complaint: Complaint, *args, **kwargs):
        kwargs.setdefault("prefix", act.name)
        kwargs.setdefault("initial", {"expected_version": complaint.version})
        super().__init__(*args, **kwargs)
        self.action = act
        self._params = {
            p.name: p
            for p in inspect.signature(act.apply).parameters.values()
            if p.kind is p.KEYWORD_ONLY
        }
        for name, param in self._params.items():
            self.fields[name] = _field(act, name, param, complaint)

    @property
    def label(self):
        return self.action.label

    def params(self) -> dict:
        """The action's keyword arguments: a blank optional field leaves the action's default."""
        out = {}
        for name, param in self._params.items():
            value = self.cleaned_data.get(name)
            has_default = param.default is not inspect.Parameter.empty
            if has_default and (value is None or value == "") and name not in CHECKBOX_PARAMS:
                continue
            out[name] = value
        return out

    def add_domain_errors(self, exc) -> None:
        if not exc.errors:
            self.add_error(None, str(exc.message))
        for field, messages in exc.errors.items():
            target = field if field in self.fields else None
            for message in messages:
                text = str(message)
                if target is None and field not in ("__all__", ""):
                    label = LABELS.get(field) or model_field_label(field)
                    text = f"{label}: {text}"
                self.add_error(target, text)


def model_field_label(name: str) -> str:
    try:
        return str(Complaint._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name
