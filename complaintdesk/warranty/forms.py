"""Forms of the three-guarantees panel and pages: they parse; the services validate and report
per field (put_errors puts a ValidationFailed's field errors back on the form)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from complaintdesk.core.errors import DomainError
from complaintdesk.warranty.choices import System, ThresholdCode, VisitKind
from complaintdesk.warranty.services import MAX_THRESHOLD

SM = {"class": "form-control form-control-sm"}
SEL = {"class": "form-select form-select-sm"}
CHECK = {"class": "form-check-input"}


def date_input():
    return forms.DateInput(attrs={**SM, "type": "date"}, format="%Y-%m-%d")


class VehicleFactsForm(forms.Form):
    invoice_date = forms.DateField(
        label=_("Purchase invoice date"), required=False, widget=date_input()
    )
    delivery_date = forms.DateField(label=_("Delivery date"), required=False, widget=date_input())
    mileage_km = forms.IntegerField(
        label=_("Mileage (km)"), required=False, min_value=0, widget=forms.NumberInput(attrs=SM)
    )
    mileage_read_on = forms.DateField(
        label=_("Mileage read on"), required=False, widget=date_input()
    )


class VisitForm(forms.Form):
    repair_order = forms.CharField(
        label=_("Repair order no."), max_length=40, widget=forms.TextInput(attrs=SM)
    )
    date_in = forms.DateField(label=_("Date in"), widget=date_input())
    date_out = forms.DateField(
        label=_("Date out"),
        required=False,
        widget=date_input(),
        help_text=_("Empty while the car is still in the workshop."),
    )
    mileage_km = forms.IntegerField(
        label=_("Mileage (km)"), required=False, min_value=0, widget=forms.NumberInput(attrs=SM)
    )
    kind = forms.ChoiceField(
        label=_("Kind of visit"),
        choices=VisitKind.choices,
        initial=VisitKind.QUALITY,
        widget=forms.Select(attrs=SEL),
    )
    system = forms.ChoiceField(
        label=_("System"),
        required=False,
        choices=[("", "—"), *System.choices],
        widget=forms.Select(attrs=SEL),
    )
    fault_description = forms.CharField(
        label=_("Fault description"),
        required=False,
        widget=forms.Textarea(attrs={**SM, "rows": 2}),
    )
    parts_replaced = forms.CharField(
        label=_("Parts replaced"),
        required=False,
        help_text=_("Separate parts with commas or 、"),
        widget=forms.TextInput(attrs=SM),
    )
    excluded_days = forms.IntegerField(
        label=_("Days not counted"),
        required=False,
        min_value=0,
        initial=0,
        help_text=_("Parts made to order for this VIN in transit, roadside rescue travel."),
        widget=forms.NumberInput(attrs=SM),
    )
    assembly_replaced = forms.BooleanField(
        label=_("Whole assembly replaced"), required=False, widget=forms.CheckboxInput(attrs=CHECK)
    )
    serious_safety = forms.BooleanField(
        label=_("Serious safety fault"), required=False, widget=forms.CheckboxInput(attrs=CHECK)
    )
    is_complaint_fault = forms.BooleanField(
        label=_("Repair of this complaint's fault"),
        required=False,
        widget=forms.CheckboxInput(attrs=CHECK),
    )

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["excluded_days"] = data.get("excluded_days") or 0
        return data


class ImportForm(forms.Form):
    store = forms.TypedChoiceField(label=_("Store"), coerce=int, widget=forms.Select(attrs=SEL))
    file = forms.FileField(
        label=_("Repair orders (.csv or .xlsx)"),
        widget=forms.ClearableFileInput(attrs={**SM, "accept": ".csv,.xlsx,.txt,.tsv"}),
    )
    complaint = forms.IntegerField(required=False, widget=forms.HiddenInput)
    dry_run = forms.BooleanField(
        label=_("Check only, store nothing"),
        required=False,
        widget=forms.CheckboxInput(attrs=CHECK),
    )

    def __init__(self, *args, stores=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["store"].choices = [(s.pk, str(s)) for s in stores]


class ThresholdForm(forms.Form):
    code = forms.ChoiceField(
        label=_("Threshold"), choices=ThresholdCode.choices, widget=forms.Select(attrs=SEL)
    )
    value = forms.IntegerField(
        label=_("Value"),
        min_value=1,
        max_value=MAX_THRESHOLD,
        widget=forms.NumberInput(attrs=SM),
    )
    effective_from = forms.DateField(label=_("In force from"), widget=date_input())
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.TextInput(attrs=SM), max_length=2000
    )


def put_errors(form: forms.Form, exc: DomainError) -> None:
    """A service's field errors onto the form; errors of other names onto the whole form."""
    if not exc.errors:
        form.add_error(None, str(exc.message))
    for name, messages in exc.errors.items():
        for message in messages:
            form.add_error(name if name in form.fields else None, str(message))
