"""Turning stored values into what a person reads: the timeline, labels of fields and values."""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from complaintdesk.complaints.choices import (
    Channel,
    EventKind,
    Nature,
    Outcome,
    Remedy,
    Severity,
    Status,
    StepKind,
)
from complaintdesk.complaints.forms import department_label
from complaintdesk.complaints.models import Complaint, ComplaintEvent
from complaintdesk.complaints.workflow import ACTIONS
from complaintdesk.core.templatetags.desk import store_time
from complaintdesk.core.text import join_list
from complaintdesk.org.models import Department, User

CHOICES = {
    "nature": Nature,
    "severity": Severity,
    "outcome": Outcome,
    "channel": Channel,
    "status": Status,
    "step": StepKind,
}
# Names that are not (or not directly) Complaint fields.
EXTRA_LABELS = {
    "customer_name": _("Customer name"),
    "customer_phone": _("Customer phone"),
    "plate": _("Plate"),
    "vin": _("VIN"),
    "vehicle_brand": _("Brand"),
    "vehicle_model": _("Model"),
    "assignee": _("Assigned to"),
    "assignee_name": _("Assigned to"),
    "number": _("Form number"),
    "due_at": _("Due"),
    "hours": _("Time allowed"),
    "amount": _("Time allowed"),
    "provisional": _("Provisional due time"),
    "step": _("Step"),
    "reached": _("Customer reached"),
    "satisfied": _("Customer satisfied"),
    "customer_words": _("Customer's words"),
    "source": _("Import source"),
    "source_ref": _("Import reference"),
    "tier": _("Handling tier"),
    "met": _("Deadline met"),
    "reference": _("Regulator's reference"),
    "opened": _("Deadlines opened"),
    "remaining_hours": _("Time left"),
    "paused_at": _("Clock stopped at"),
}
# Rows the system writes alongside an action: named by their kind, not by the action.
QUIET_KINDS = frozenset({EventKind.CREATED, EventKind.ASSIGNED})
DATA_ORDER = (
    "number",
    "channel",
    "received_at",
    "step",
    "assignee_name",
    "due_at",
    "hours",
    "amount",
    "provisional",
    "reached",
    "satisfied",
    "customer_words",
    "met",
    "reference",
    "opened",
    "paused_at",
    "remaining_hours",
    "source",
    "source_ref",
)


def field_label(name: str) -> str:
    if name in EXTRA_LABELS:
        return str(EXTRA_LABELS[name])
    base = name[:-3] if name.endswith("_id") else name
    try:
        return str(Complaint._meta.get_field(base).verbose_name)
    except FieldDoesNotExist:
        return name.replace("_", " ")


def action_label(name: str) -> str:
    return str(ACTIONS[name].label) if name in ACTIONS else name


class ValueFormatter:
    """Formats before/after values of one complaint's events, with names looked up once."""

    def __init__(self, complaint: Complaint, events: list[ComplaintEvent]):
        self.store = complaint.store
        dept_ids, user_ids = set(), set()
        for e in events:
            for field, pair in (e.changes or {}).items():
                for v in pair if isinstance(pair, list) else []:
                    if field.endswith("department_id") and v:
                        dept_ids.add(v)
                    elif field == "customer_manager_id" and v:
                        user_ids.add(v)
                    elif field == "involved_staff" and isinstance(v, list):
                        user_ids.update(v)
        self.departments = {
            d.pk: department_label(d) for d in Department.objects.filter(pk__in=dept_ids)
        }
        self.users = {u.pk: str(u) for u in User.objects.filter(pk__in=user_ids)}

    def time(self, value) -> str:
        return store_time(value, self.store) if value else "—"

    def value(self, field: str, value) -> str:
        if value is None or value == "" or value == []:
            return "—"
        if isinstance(value, bool):
            return str(_("Yes") if value else _("No"))
        if field in CHOICES:
            choices = CHOICES[field]
            return str(choices(value).label) if value in choices.values else str(value)
        if field.endswith("department_id"):
            return self.departments.get(value, str(value))
        if field == "customer_manager_id":
            return self.users.get(value, str(value))
        if field == "involved_staff":
            return join_list(self.users.get(v, str(v)) for v in value)
        if field == "remedies":
            return join_list(Remedy(v).label if v in Remedy.values else v for v in value)
        if field in ("due_at", "received_at", "paused_at"):
            return self.time(value)
        if field in ("hours", "remaining_hours"):
            return str(_("%(n)s h") % {"n": value})
        if field == "met":
            return self.value("step", value)
        if field == "opened" and isinstance(value, dict):
            return "；".join(
                f"{self.value('step', kind)} {self.time(due)}" for kind, due in value.items()
            )
        return str(value)


def allowance(amount, clock) -> str:
    """A step's time allowed on its clock: 4 h, 8 office hours, 7 working days."""
    n = int(amount) if float(amount).is_integer() else round(float(amount), 1)
    if clock == "office":
        return str(_("%(n)s office hours") % {"n": n})
    if clock == "workdays":
        return str(_("%(n)s working days") % {"n": n})
    return str(_("%(n)s h") % {"n": n})


# What a customer's answer to a handling script did (EventKind.SCRIPT_USED, SPEC §8).
SCRIPT_EFFECTS = {"ends": _("the complaint ends"), "continues": _("the complaint continues")}


def script_rows(data: dict) -> list[tuple[str, str, bool]]:
    """The script and the customer's answer as they read when used, in the reader's language
    (the event keeps both texts: the playbook may be edited later)."""
    lang = "zh" if (translation.get_language() or "").lower().startswith("zh") else "en"

    def text(pair) -> str:
        if isinstance(pair, dict):
            return str(pair.get(lang) or pair.get("zh") or pair.get("en") or "")
        return str(pair or "")

    rows = [
        (str(_("Script")), text(data.get("script_title")) or str(data.get("script", "")), False)
    ]
    if data.get("branch"):
        answer = text(data.get("answer")) or str(data["branch"])
        rows.append((str(_("Customer's answer")), answer, False))
    if data.get("effect") in SCRIPT_EFFECTS:
        rows.append((str(_("Effect")), str(SCRIPT_EFFECTS[data["effect"]]), False))
    return rows


def without_note(explanation, note: str):
    """A script's settlement writes the handler's note at the end of the outcome explanation
    and keeps it as the event's comment too; the timeline shows it once (as the comment)."""
    if not isinstance(explanation, str) or not note:
        return explanation
    text, note = explanation.replace("\r\n", "\n"), note.replace("\r\n", "\n").strip()
    if note and text.endswith("\n" + note):
        return text[: -len(note) - 1]
    return explanation


def timeline_rows(complaint: Complaint, events) -> list[dict]:
    events = list(events)
    fmt = ValueFormatter(complaint, events)
    rows = []
    for e in events:
        changes = []
        for field, pair in (e.changes or {}).items():
            before, after = pair if isinstance(pair, list) and len(pair) == 2 else (None, pair)
            if e.kind == EventKind.SCRIPT_USED and field == "outcome_explanation":
                after = without_note(after, e.comment)
            changes.append((field_label(field), fmt.value(field, before), fmt.value(field, after)))
        data = []
        for key in DATA_ORDER:
            if key not in (e.data or {}):
                continue
            value = e.data[key]
            if key in ("source", "source_ref") and not value:
                continue
            if key == "assignee_name" and not value:
                value = str(_("nobody yet (team queue)"))
            if key == "satisfied" and e.data.get("reached") is False:
                continue
            if key in ("hours", "amount") and value is None:
                continue
            if key == "provisional" and not value:
                continue
            if key == "amount":
                data.append((field_label(key), allowance(value, e.data.get("clock")), False))
                continue
            if key == "provisional":
                value = str(_("the store calendar does not cover that day yet"))
            if isinstance(value, list) and len(value) == 2:
                text = f"{fmt.value(key, value[0])} → {fmt.value(key, value[1])}"
            else:
                text = fmt.value(key, value)
            data.append((field_label(key), text, key == "customer_words"))
        if e.kind == EventKind.SCRIPT_USED:
            data = script_rows(e.data or {}) + data
        status_change = None
        if e.from_status and e.to_status and e.from_status != e.to_status:
            status_change = (Status(e.from_status).label, Status(e.to_status).label)
        elif e.kind == EventKind.CREATED and e.to_status:
            status_change = (None, Status(e.to_status).label)
        # A transition is named by its action (受理登记), the system's own rows by their kind
        # (步骤分派); a side action also says what kind of change it made.
        by_action = e.action in ACTIONS and e.kind not in QUIET_KINDS
        title = action_label(e.action) if by_action else e.get_kind_display()
        subtitle = e.get_kind_display() if by_action and e.kind != EventKind.TRANSITION else ""
        rows.append(
            {
                "event": e,
                "time": fmt.time(e.created_at),
                "actor": str(e.actor) if e.actor_id else str(_("System")),
                "title": title,
                "subtitle": subtitle,
                "status_change": status_change,
                "changes": changes,
                "data": data,
                "comment": e.comment,
            }
        )
    return rows
