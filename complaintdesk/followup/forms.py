"""Forms of the follow-up pages: they parse; the services validate and report per field."""

from django import forms
from django.utils.translation import gettext_lazy as _

from complaintdesk.complaints.choices import UNDETERMINABLE_NATURES, Nature
from complaintdesk.followup.choices import ContactChannel, ContactOutcome, Satisfaction

SM = {"class": "form-control form-control-sm"}
SEL = {"class": "form-select form-select-sm"}
DETERMINED = [("", "—")] + [
    (v, lbl) for v, lbl in Nature.choices if v not in UNDETERMINABLE_NATURES
]


class LedgerFilterForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Reason"),
        required=False,
        choices=[("", "—")]
        + [(v, lbl) for v, lbl in Nature.choices if v in UNDETERMINABLE_NATURES],
        widget=forms.Select(attrs=SEL),
    )
    manager = forms.IntegerField(
        label=_("Customer manager"), required=False, widget=forms.Select(attrs=SEL)
    )
    min_age_days = forms.IntegerField(
        label=_("Pending at least (days)"),
        required=False,
        min_value=0,
        widget=forms.NumberInput(attrs=SM),
    )
    contact_due_by = forms.DateField(
        label=_("Next contact by"),
        required=False,
        widget=forms.DateInput(attrs={**SM, "type": "date"}),
    )


class ContactForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("Channel"), choices=ContactChannel.choices, widget=forms.Select(attrs=SEL)
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=ContactOutcome.choices, widget=forms.Select(attrs=SEL)
    )
    note = forms.CharField(
        label=_("What changed"), required=False, widget=forms.Textarea(attrs={**SM, "rows": 2})
    )
    next_contact_on = forms.DateField(
        label=_("Next contact on"),
        required=False,
        widget=forms.DateInput(attrs={**SM, "type": "date"}),
    )
    nature = forms.ChoiceField(
        label=_("Nature, if the customer returned"),
        required=False,
        choices=DETERMINED,
        widget=forms.Select(attrs=SEL),
    )


class HomeVisitForm(forms.Form):
    visited_on = forms.DateField(
        label=_("Visited on"), required=False, widget=forms.DateInput(attrs={**SM, "type": "date"})
    )
    outcome = forms.CharField(
        label=_("Outcome of the visit"),
        required=False,
        widget=forms.Textarea(attrs={**SM, "rows": 2}),
    )


class CallbackForm(forms.Form):
    reached = forms.TypedChoiceField(
        label=_("Customer reached"),
        choices=[("true", _("Yes")), ("false", _("No"))],
        coerce=lambda v: v == "true",
        widget=forms.RadioSelect,
    )
    satisfaction = forms.TypedChoiceField(
        label=_("Satisfaction"),
        required=False,
        choices=[("", "—")] + Satisfaction.choices,
        coerce=int,
        empty_value=None,
        widget=forms.Select(attrs=SEL),
    )
    customer_words = forms.CharField(
        label=_("Customer's words"), required=False, widget=forms.Textarea(attrs={**SM, "rows": 2})
    )
    expected_version = forms.IntegerField(widget=forms.HiddenInput)


def put_errors(form, exc) -> None:
    """A domain error's field messages onto the form (unknown fields as form errors)."""
    if not exc.errors:
        form.add_error(None, str(exc.message))
    for field, messages in exc.errors.items():
        for message in messages:
            form.add_error(field if field in form.fields else None, str(message))
