"""Forms of the staff UI: list filters, intake, correction. They only parse and present; the
rules live in the services, whose ValidationFailed errors are put back onto these fields."""

from __future__ import annotations

import datetime as dt
import uuid

from django import forms
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from complaintdesk.complaints.choices import Channel, Nature, Severity, Status
from complaintdesk.complaints.selectors import ComplaintFilter
from complaintdesk.complaints.services import PARTY_FIELDS, TEXT_FIELDS
from complaintdesk.org.models import Department, DepartmentKind, Role
from complaintdesk.org.selectors import stores_for, users_with_roles

DATE_FORMAT = "%Y-%m-%d"
# What a <input type="datetime-local"> sends (seconds appear when the browser's step allows them).
LOCAL_DATETIME_FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M")


def department_label(dept: Department, *, with_store: bool = False) -> str:
    """A department's name, shown in the reader's language while it is still the built-in name
    of its kind (store_create names departments after their kind, in whatever language was
    active then)."""
    name = dept.name
    if dept.kind in DepartmentKind.values:
        label = DepartmentKind(dept.kind).label
        builtin = set()
        for lang in ("en", "zh-hans"):
            with translation.override(lang):
                builtin.add(str(label))
        if not name or name in builtin:
            name = str(label)
    return f"{dept.store} · {name}" if with_store else name


def store_staff_choices(stores) -> list:
    """Users with any role in each store, grouped by store when there are several."""
    stores = list(stores)
    groups = []
    for store in stores:
        users = users_with_roles(store, Role.values).order_by("display_name", "username")
        options = [(u.pk, f"{u} ({u.username})") for u in users]
        groups.append((store.name, options))
    if len(groups) == 1:
        return groups[0][1]
    return groups


class MultipleSelect(forms.SelectMultiple):
    def __init__(self, size=4):
        super().__init__(attrs={"class": "form-select form-select-sm", "size": size})


def _select():
    return forms.Select(attrs={"class": "form-select form-select-sm"})


def _text_input(**attrs):
    return forms.TextInput(attrs={"class": "form-control form-control-sm", **attrs})


class ComplaintFilterForm(forms.Form):
    """The list's filters. Every value is checked: a bad one is a form error, never a 500."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={
                "class": "form-control form-control-sm",
                "type": "search",
                "placeholder": _("Number, name, phone, text…"),
            }
        ),
    )
    status = forms.MultipleChoiceField(
        label=_("Status"), choices=Status.choices, required=False, widget=MultipleSelect(5)
    )
    nature = forms.MultipleChoiceField(
        label=_("Nature"), choices=Nature.choices, required=False, widget=MultipleSelect(5)
    )
    channel = forms.MultipleChoiceField(
        label=_("Channel"), choices=Channel.choices, required=False, widget=MultipleSelect(5)
    )
    severity = forms.MultipleChoiceField(
        label=_("Severity"), choices=Severity.choices, required=False, widget=MultipleSelect(3)
    )
    department = forms.TypedChoiceField(
        label=_("Department"), coerce=int, required=False, empty_value=None, widget=_select()
    )
    store = forms.TypedChoiceField(
        label=_("Store"), coerce=int, required=False, empty_value=None, widget=_select()
    )
    received_from = forms.DateField(
        label=_("Received from"),
        required=False,
        input_formats=[DATE_FORMAT],
        widget=forms.DateInput(
            format=DATE_FORMAT, attrs={"type": "date", "class": "form-control form-control-sm"}
        ),
    )
    received_to = forms.DateField(
        label=_("Received to"),
        required=False,
        input_formats=[DATE_FORMAT],
        widget=forms.DateInput(
            format=DATE_FORMAT, attrs={"type": "date", "class": "form-control form-control-sm"}
        ),
    )
    plate = forms.CharField(label=_("Plate"), required=False, max_length=20, widget=_text_input())
    open_only = forms.BooleanField(label=_("Open only"), required=False)
    due = forms.ChoiceField(
        label=_("Due"),
        required=False,
        choices=[("", _("Any time")), ("1h", _("Due within 1 hour")), ("overdue", _("Overdue"))],
        widget=_select(),
    )

    # The reports' drill-downs (complaintdesk.reports): hidden, carried in the URL.
    local_from = forms.DateField(required=False, widget=forms.HiddenInput())
    local_to = forms.DateField(required=False, widget=forms.HiddenInput())
    reportable = forms.BooleanField(required=False, widget=forms.HiddenInput())
    concerned_department = forms.CharField(
        required=False, max_length=20, widget=forms.HiddenInput()
    )
    vehicle_model = forms.CharField(required=False, max_length=120, widget=forms.HiddenInput())
    category = forms.CharField(required=False, max_length=300, widget=forms.HiddenInput())
    staff = forms.IntegerField(required=False, widget=forms.HiddenInput())
    closed = forms.BooleanField(required=False, widget=forms.HiddenInput())
    repeat = forms.BooleanField(required=False, widget=forms.HiddenInput())
    step = forms.CharField(required=False, max_length=30, widget=forms.HiddenInput())
    late_step = forms.CharField(required=False, max_length=30, widget=forms.HiddenInput())
    missed_by = forms.IntegerField(required=False, widget=forms.HiddenInput())
    satisfied = forms.CharField(required=False, max_length=3, widget=forms.HiddenInput())
    pending_age = forms.CharField(required=False, max_length=10, widget=forms.HiddenInput())
    unset = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        stores = list(stores_for(user))
        several = len(stores) > 1
        departments = Department.objects.filter(store__in=stores).select_related("store")
        self.fields["department"].choices = [("", _("All departments"))] + [
            (d.pk, department_label(d, with_store=several)) for d in departments
        ]
        if several:
            self.fields["store"].choices = [("", _("All stores"))] + [
                (s.pk, s.name) for s in stores
            ]
        else:
            del self.fields["store"]

    def clean(self):
        data = super().clean()
        start, end = data.get("received_from"), data.get("received_to")
        if start and end and start > end:
            self.add_error("received_to", _("The end date lies before the start date."))
        return data

    def to_filter(self) -> ComplaintFilter:
        d = self.cleaned_data
        return ComplaintFilter(
            status=d.get("status") or None,
            nature=d.get("nature") or None,
            channel=d.get("channel") or None,
            severity=d.get("severity") or None,
            department=d.get("department"),
            store=d.get("store"),
            received_from=d.get("received_from"),
            received_to=d.get("received_to"),
            plate=d.get("plate") or "",
            q=d.get("q") or "",
            open_only=bool(d.get("open_only")),
            due=d.get("due") or "",
            local_from=d.get("local_from"),
            local_to=d.get("local_to"),
            reportable=bool(d.get("reportable")),
            concerned_department=d.get("concerned_department") or "",
            vehicle_model=d.get("vehicle_model") or "",
            category=d.get("category") or "",
            staff=d.get("staff"),
            closed=bool(d.get("closed")),
            repeat=bool(d.get("repeat")),
            step=d.get("step") or "",
            late_step=d.get("late_step") or "",
            missed_by=d.get("missed_by"),
            satisfied=d.get("satisfied") or "",
            pending_age=d.get("pending_age") or "",
            unset=d.get("unset") or "",
        )


def _textarea(rows=3):
    return forms.Textarea(attrs={"class": "form-control", "rows": rows})


def _text_field(name: str, label, *, textarea: bool = False, rows: int = 3):
    max_length, required = TEXT_FIELDS.get(name) or (PARTY_FIELDS[name], False)
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=_textarea(rows) if textarea else forms.TextInput(attrs={"class": "form-control"}),
    )


class IntakeFieldsMixin(forms.Form):
    """The intake fields shared by the new-complaint and the correction forms (SPEC §2)."""

    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=Channel.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    summary = _text_field("summary", _("Summary"))
    description = _text_field("description", _("What happened"), textarea=True, rows=5)
    customer_name = _text_field("customer_name", _("Customer name"))
    customer_phone = _text_field("customer_phone", _("Customer phone"))
    plate = _text_field("plate", _("Plate"))
    vin = _text_field("vin", _("VIN"))
    vehicle_brand = _text_field("vehicle_brand", _("Brand"))
    vehicle_model = _text_field("vehicle_model", _("Model"))
    location = _text_field("location", _("Where"))
    contact_name = _text_field("contact_name", _("Contact person"))
    contact_phone = _text_field("contact_phone", _("Contact phone"))
    result_so_far = _text_field("result_so_far", _("Result so far"), textarea=True)
    customer_demand = _text_field("customer_demand", _("Customer's demand"), textarea=True)
    repair_order = _text_field("repair_order", _("Repair order no."))
    sales_contract = _text_field("sales_contract", _("Sales contract no."))
    involved_staff = forms.TypedMultipleChoiceField(
        label=_("Staff complained about"),
        help_text=_("They may never handle, decide, review or call back this complaint."),
        coerce=int,
        required=False,
        widget=forms.SelectMultiple(attrs={"class": "form-select", "size": 5}),
    )
    involved_staff_note = _text_field("involved_staff_note", _("Other staff involved"))

    def add_domain_errors(self, exc) -> None:
        """Put a ValidationFailed's field errors onto the fields; the rest above the form."""
        if not exc.errors:
            self.add_error(None, str(exc.message))
        for field, messages in exc.errors.items():
            target = field if field in self.fields else None
            for message in messages:
                self.add_error(target, str(message))


class ComplaintCreateForm(IntakeFieldsMixin):
    """Intake. The hidden token is made when the form is rendered, so a double-clicked submit
    sends the same key twice and services.complaint_create returns the first complaint."""

    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=100)
    store = forms.TypedChoiceField(
        label=_("Store"), coerce=int, widget=forms.Select(attrs={"class": "form-select"})
    )
    received_at = forms.CharField(
        label=_("Received at"),
        help_text=_("Local time of the store."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local", "class": "form-control"}),
    )
    nature = forms.ChoiceField(
        label=_("Nature"),
        required=False,
        choices=[("", _("Not judged yet"))] + list(Nature.choices),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    severity = forms.ChoiceField(
        label=_("Severity"),
        choices=Severity.choices,
        initial=Severity.ORDINARY,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    concerned_department = forms.TypedChoiceField(
        label=_("Department concerned"),
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    field_order = [
        "store",
        "channel",
        "received_at",
        "summary",
        "description",
        "customer_name",
        "customer_phone",
        "plate",
        "vin",
        "vehicle_brand",
        "vehicle_model",
        "location",
        "contact_name",
        "contact_phone",
        "result_so_far",
        "customer_demand",
        "repair_order",
        "sales_contract",
        "involved_staff",
        "involved_staff_note",
        "nature",
        "severity",
        "concerned_department",
    ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.stores = list(stores_for(user))
        self.fields["store"].choices = [(s.pk, s.name) for s in self.stores]
        several = len(self.stores) > 1
        departments = Department.objects.filter(store__in=self.stores).select_related("store")
        self.fields["concerned_department"].choices = [("", _("Not judged yet"))] + [
            (d.pk, department_label(d, with_store=several)) for d in departments
        ]
        # Issue 6: while the text is typed, the triage panel suggests nature, severity and
        # department (POST to triage:suggest with the form's values, CSRF token included).
        for name in ("summary", "description"):
            self.fields[name].widget.attrs.update(
                {
                    "hx-post": reverse("triage:suggest"),
                    # input: also text from an IME, a paste or the browser's autofill
                    "hx-trigger": "keyup changed delay:600ms, input changed delay:600ms",
                    "hx-target": "#triage-panel",
                }
            )
        if len(self.stores) == 1:
            self.fields["store"].widget = forms.HiddenInput()
        self.fields["involved_staff"].choices = store_staff_choices(self.stores)
        if not self.is_bound:
            first = self.stores[0] if self.stores else None
            self.initial.setdefault("store", first.pk if first else None)
            self.initial.setdefault("idempotency_key", uuid.uuid4().hex)
            self.initial.setdefault(
                "received_at",
                timezone.localtime(timezone.now(), first.tz if first else None).strftime(
                    "%Y-%m-%dT%H:%M"
                ),
            )

    def clean_received_at(self) -> dt.datetime:
        raw = (self.cleaned_data.get("received_at") or "").strip()
        for fmt in LOCAL_DATETIME_FORMATS:
            try:
                # Naive on purpose: the wall-clock time is the store's, attached in clean().
                return dt.datetime.strptime(raw, fmt)  # noqa: DTZ007
            except ValueError:
                continue
        raise forms.ValidationError(_("Enter a date and time."))

    def clean(self):
        data = super().clean()
        store = next((s for s in self.stores if s.pk == data.get("store")), None)
        when = data.get("received_at")
        if store is not None and isinstance(when, dt.datetime) and timezone.is_naive(when):
            # The form shows the store's local time, so the typed time is read in its zone.
            data["received_at"] = when.replace(tzinfo=store.tz)
        data["store"] = store
        return data

    def service_kwargs(self) -> dict:
        d = dict(self.cleaned_data)
        d["severity"] = d.get("severity") or Severity.ORDINARY
        return d


class ComplaintEditForm(IntakeFieldsMixin):
    """Correction of the intake details; the hidden version refuses a stale form."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, complaint, **kwargs):
        kwargs.setdefault("initial", self.initial_for(complaint))
        super().__init__(*args, **kwargs)
        self.fields["involved_staff"].choices = store_staff_choices([complaint.store])

    @staticmethod
    def initial_for(c) -> dict:
        initial = {name: getattr(c, name) for name in TEXT_FIELDS}
        initial.update(
            expected_version=c.version,
            channel=c.channel,
            involved_staff=list(c.involved_staff.values_list("pk", flat=True)),
            customer_name=c.customer_name,
            customer_phone=c.customer_phone,
            plate=c.plate,
            vin=c.vin,
            vehicle_brand=c.vehicle_brand,
            vehicle_model=c.vehicle_model,
        )
        return initial

    def changes(self) -> dict:
        """Only what the user changed: unchanged party fields must not re-resolve the customer."""
        return {
            name: self.cleaned_data[name]
            for name in self.changed_data
            if name != "expected_version" and name in self.cleaned_data
        }
