"""The shapes of the REST API: what a client sends (`…In`), what it gets back (`…Out`), and the
functions that turn rows into responses.

Times go out in the complaint's store time zone with their offset ("2026-12-03T16:30:00+08:00");
choice fields go out as {"code", "label"}, the label in the request's language. Input is typed
strictly enough that no bad value reaches the database as a 500 (ids within bigint range, no NUL
characters, aware datetimes that convert to UTC); the rules of the domain (lengths, plates, VINs,
who may do what) stay in the services and the workflow, which answer with the same error shape.
"""

import datetime as dt
import inspect
from typing import Annotated, Any, Literal

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import AfterValidator, AwareDatetime, BeforeValidator, ConfigDict, Field
from pydantic import create_model as create_pydantic_model
from pydantic_core import PydanticCustomError

from complaintdesk.complaints import workflow
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
from complaintdesk.complaints.models import Complaint, ComplaintEvent, Step
from complaintdesk.complaints.services import PARTY_FIELDS, TEXT_FIELDS
from complaintdesk.followup.choices import Satisfaction
from complaintdesk.org.models import DepartmentKind, Role

# Ids are bigint columns: a larger number must be a 422, not an overflow inside the driver.
MAX_ID = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


def _clean_text(value: str) -> str:
    # PostgreSQL text cannot hold NUL, and a lone surrogate cannot be encoded as UTF-8: both
    # would fail inside the database driver instead of answering the client.
    if "\x00" in value:
        raise PydanticCustomError("nul_character", _("Text must not contain NUL characters."))
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise PydanticCustomError("invalid_unicode", _("The text is not valid Unicode.")) from None
    return value


def _iso_string(value):
    if not isinstance(value, str | dt.datetime):
        raise PydanticCustomError(
            "datetime_type", _("Expected an ISO 8601 date and time with its offset.")
        )
    return value


def _convertible_to_utc(value: dt.datetime) -> dt.datetime:
    try:
        value.astimezone(dt.UTC)
    except OverflowError:
        raise PydanticCustomError(
            "datetime_range", _("The date and time is out of range.")
        ) from None
    return value


Text = Annotated[str, AfterValidator(_clean_text)]
ReceiptTime = Annotated[
    AwareDatetime, BeforeValidator(_iso_string), AfterValidator(_convertible_to_utc)
]


def choices_doc(choices) -> str:
    with translation.override("en"):
        return "; ".join(f"`{value}` {label}" for value, label in choices.choices)


class In(Schema):
    """Request bodies refuse unknown fields, so that a misspelt field is reported, not dropped."""

    model_config = ConfigDict(extra="forbid", use_enum_values=True)


def _text(name: str, description: str, *, required: bool = False):
    max_length = TEXT_FIELDS[name][0] if name in TEXT_FIELDS else PARTY_FIELDS[name]
    extra = {"maxLength": max_length}
    if required:
        return Field(..., description=description, json_schema_extra=extra)
    return Field("", description=description, json_schema_extra=extra)


class ComplaintCreateIn(In):
    """A complaint as received (SPEC §2). It is numbered at once (FK-YYYYMM-NNNN)."""

    store: Id = Field(description="Id of the store that received it (GET /api/stores).")
    channel: Channel = Field(description=choices_doc(Channel))
    received_at: ReceiptTime = Field(
        description="When it was received: ISO 8601 with offset, e.g. 2026-12-03T16:30:00+08:00."
    )
    summary: Text = _text("summary", "One line: what the complaint is about.", required=True)
    description: Text = _text("description", "What happened, as told.", required=True)
    customer_name: Text = _text("customer_name", "The customer's name.")
    customer_phone: Text = _text("customer_phone", "The customer's phone number.")
    plate: Text = _text("plate", "Plate number, e.g. 京A12345 or 粤B·D12345.")
    vin: Text = _text("vin", "Vehicle identification number: 17 characters, no I, O or Q.")
    vehicle_brand: Text = _text("vehicle_brand", "Brand, e.g. BMW.")
    vehicle_model: Text = _text("vehicle_model", "Model, e.g. 530Li.")
    location: Text = _text("location", "Where it happened.")
    contact_name: Text = _text("contact_name", "Contact person, if not the customer.")
    contact_phone: Text = _text("contact_phone", "Contact person's phone.")
    result_so_far: Text = _text("result_so_far", "What has been done so far.")
    customer_demand: Text = _text("customer_demand", "What the customer asks for.")
    repair_order: Text = _text("repair_order", "Related repair order number.")
    sales_contract: Text = _text("sales_contract", "Related sales contract number.")
    involved_staff: list[Id] = Field(
        default_factory=list,
        max_length=50,
        description="User ids of the staff complained about (GET /api/stores/{id}/staff). "
        "They may never handle this complaint (SPEC §1).",
    )
    involved_staff_note: Text = _text("involved_staff_note", "Other people involved, by name.")
    nature: Nature | None = Field(None, description=choices_doc(Nature))
    severity: Severity = Field(Severity.ORDINARY, description=choices_doc(Severity))
    concerned_department: Id | None = Field(
        None, description="Department id of the department concerned (GET /api/stores)."
    )


class ComplaintEditIn(In):
    """A correction of the intake details. Only the fields sent are changed; `null` clears an
    optional text. `version` is the complaint's version the client last saw: if someone saved
    in between, the edit is refused with 409 `stale_version`."""

    version: Id = Field(description="The `version` of the complaint the client last saw.")
    channel: Channel | None = Field(None, description=choices_doc(Channel))
    summary: Text | None = None
    description: Text | None = None
    customer_name: Text | None = None
    customer_phone: Text | None = None
    plate: Text | None = None
    vin: Text | None = None
    vehicle_brand: Text | None = None
    vehicle_model: Text | None = None
    location: Text | None = None
    contact_name: Text | None = None
    contact_phone: Text | None = None
    result_so_far: Text | None = None
    customer_demand: Text | None = None
    repair_order: Text | None = None
    sales_contract: Text | None = None
    involved_staff: list[Id] | None = Field(None, max_length=50)
    involved_staff_note: Text | None = None


class ComplaintFilterIn(Schema):
    """The list's filters, as in the UI. Repeat a list parameter for several values
    (`?status=received&status=investigating`)."""

    model_config = ConfigDict(use_enum_values=True)

    status: list[Status] | None = Field(None, description=choices_doc(Status))
    nature: list[Nature] | None = Field(None, description=choices_doc(Nature))
    channel: list[Channel] | None = Field(None, description=choices_doc(Channel))
    severity: list[Severity] | None = Field(None, description=choices_doc(Severity))
    department: Id | None = Field(None, description="Concerned or responsible department id.")
    store: Id | None = None
    received_from: dt.date | None = Field(None, description="Received on or after (YYYY-MM-DD).")
    received_to: dt.date | None = Field(None, description="Received on or before (YYYY-MM-DD).")
    plate: Text = Field("", max_length=40)
    q: Text = Field("", max_length=200, description="Free text: words found anywhere.")
    open_only: bool = False
    due: Literal["", "1h", "overdue"] = Field(
        "", description="`1h`: the current step is due within the hour; `overdue`: past due."
    )
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=10**9)


# ---------------------------------------------------------------------------------------------
# Action bodies: one schema per workflow action, its fields the keyword-only parameters of the
# action function in workflow.py, plus the optional `expected_version`.

PARAM_TYPES: dict[str, tuple[Any, str]] = {
    "nature": (Nature, choices_doc(Nature)),
    "severity": (Severity, choices_doc(Severity)),
    "concerned_department": (Id | None, "Department id of the department concerned."),
    "customer_manager": (
        Id | None,
        "User id of the customer manager who takes the form (default: the caller, if one).",
    ),
    "responsible_department": (Id, "Department id of the department found responsible."),
    "responsibility_finding": (Text, "How responsibility was determined."),
    "handling_opinion": (Text, "Handling opinion for the people responsible."),
    "remedies": (list[Remedy], choices_doc(Remedy)),
    "responsible_staff_note": (Text, "The people responsible, by name (at most 200 characters)."),
    "customer_informed": (bool, "Whether the customer has been told."),
    "callback_required": (bool, "Call the customer back after completion (SPEC §6)."),
    "outcome": (Outcome, "`unfounded` or `malicious` (malicious: CS director only)."),
    "explanation": (Text, "What the customer was told, politely and firmly."),
    "agreed": (bool, "Whether management agrees with the handling opinion."),
    "opinion": (Text, "Fault handling opinion, or the negotiated, signed opinion."),
    "decision": (Text, "The GM's decision."),
    "accountability_note": (Text, "Accountability carried out, fault talked through."),
    "reached": (bool, "Whether the customer was reached."),
    "satisfied": (
        bool | None,
        "Whether the customer is satisfied (required when reached, unless `satisfaction` is "
        "given).",
    ),
    "satisfaction": (
        Satisfaction | None,
        "Satisfaction on the callback scale: 5 very satisfied, 4 satisfied, 3 neutral, "
        "2 dissatisfied, 1 very dissatisfied; 1–2 reopen the complaint one tier higher.",
    ),
    "customer_words": (Text, "The customer's own words (required when reached)."),
    "reason": (Text, "Why."),
    "comment": (Text, "A comment for the timeline."),
    "how": (
        Text,
        "How the customer was told that the complaint is accepted and how it is handled.",
    ),
    "reference": (Text, "The regulator's case reference (e.g. the 12315 number)."),
    "accept_by": (
        dt.date | None,
        "The date by which the regulator decides on acceptance (default: 7 working days).",
    ),
    "mediation_end": (dt.date | None, "The date the regulator's mediation ends, if given."),
    "answer": (Text, "The answer given to the replacement / refund request."),
    "script": (Text, "Code of the handling script used (GET /api/guidance/complaints/{id})."),
    "branch": (Text, "Code of the customer's answer to that script."),
}
# Where one name means different things in different actions.
ACTION_PARAM_TYPES: dict[tuple[str, str], tuple[Any, str]] = {
    ("propose_pending", "reason"): (
        Nature,
        "Why responsibility cannot be determined yet: "
        "`unclear_quality`, `parts_delay`, `customer_absent` or `customer_no_time`.",
    ),
    ("void", "reason"): (Text, "Why the complaint is voided. It keeps its number."),
    ("change_nature", "comment"): (Text, "Why the nature changes (required)."),
    ("pause_clock", "comment"): (
        Text,
        "What the step is waiting for from the customer (required).",
    ),
    ("record_refund_request", "comment"): (Text, "What the customer asks for (required)."),
    ("complete_refund", "comment"): (
        Text,
        "How the replacement / refund was completed (required).",
    ),
    ("settle_by_script", "nature"): (
        Nature | None,
        "The nature, when the form has none yet (required then). " + choices_doc(Nature),
    ),
    ("settle_by_script", "comment"): (Text, "The handler's note on the conversation."),
}


class ActionIn(In):
    expected_version: Id | None = Field(
        None, description="The complaint's `version` the client last saw; 409 if it changed."
    )


def action_schema(act: workflow.Action) -> type[ActionIn]:
    fields: dict[str, Any] = {}
    signature = inspect.signature(act.apply)
    for name in act.params:
        # A parameter added to a workflow action without a type here still reaches the action,
        # which validates its own input; test_api checks that every parameter is described.
        annotation, description = ACTION_PARAM_TYPES.get(
            (act.name, name), PARAM_TYPES.get(name, (Any, ""))
        )
        default = signature.parameters[name].default
        if default is inspect.Parameter.empty:
            fields[name] = (annotation, Field(..., description=description))
        elif isinstance(default, tuple | list):
            fields[name] = (annotation, Field(default_factory=list, description=description))
        else:
            fields[name] = (annotation, Field(default, description=description))
    camel = "".join(part.capitalize() for part in act.name.split("_"))
    return create_pydantic_model(
        f"{camel}ActionIn", __base__=ActionIn, __module__=__name__, **fields
    )


def action_summary(act: workflow.Action) -> str:
    with translation.override("en"):
        return str(act.label)


def action_doc(act: workflow.Action) -> str:
    """The endpoint's OpenAPI description: what it does, from which states, for which roles."""
    with translation.override("en"):
        sources = ", ".join(f"`{s}`" for s in sorted(act.sources))
        by_tier = {
            tier: sorted(str(Role(r).label) for r in act.roles(Complaint(tier=tier)))
            for tier in (1, 2, 3)
        }
        if len({tuple(v) for v in by_tier.values()}) == 1:
            roles = ", ".join(by_tier[1])
        else:
            roles = "; ".join(f"tier {t}: {', '.join(v)}" for t, v in by_tier.items())
        doc = inspect.getdoc(act.apply) or str(act.label)
    return (
        f"{doc}\n\nPossible while the complaint is {sources}. Roles in the complaint's store: "
        f"{roles}. Staff named in `involved_staff` are refused (403 `conflict_of_interest`). "
        "Answers the complaint as it is afterwards."
    )


# ---------------------------------------------------------------------------------------------
# Responses.


class ErrorItemOut(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    code: str = Field(
        description="not_authenticated, csrf_failed, not_found, not_permitted, "
        "conflict_of_interest, invalid_transition, stale_version, validation_failed"
    )
    detail: str
    errors: list[ErrorItemOut]


class ChoiceOut(Schema):
    code: str
    label: str


class UserOut(Schema):
    id: int
    username: str
    name: str


class StoreRefOut(Schema):
    id: int
    code: str
    name: str
    timezone: str


class DepartmentOut(Schema):
    id: int
    kind: ChoiceOut
    name: str


class StepOut(Schema):
    kind: ChoiceOut
    tier: int
    started_at: dt.datetime
    due_at: dt.datetime | None
    overdue: bool
    assignee: UserOut | None
    department_id: int | None


class ComplaintItemOut(Schema):
    id: int
    number: str
    store: StoreRefOut
    status: ChoiceOut
    tier: int
    version: int
    channel: ChoiceOut
    nature: ChoiceOut | None
    severity: ChoiceOut
    received_at: dt.datetime
    summary: str
    customer_name: str
    plate: str
    vehicle_model: str
    concerned_department: DepartmentOut | None
    current_step: StepOut | None
    closed_at: dt.datetime | None


class ActionFieldOut(Schema):
    name: str
    required: bool


class ActionOut(Schema):
    name: str
    label: str
    style: str
    method: str
    url: str
    fields: list[ActionFieldOut]


class ComplaintOut(ComplaintItemOut):
    description: str
    location: str
    customer_phone: str
    contact_name: str
    contact_phone: str
    vin: str
    vehicle_brand: str
    result_so_far: str
    customer_demand: str
    repair_order: str
    sales_contract: str
    involved_staff: list[UserOut]
    involved_staff_note: str
    received_by: UserOut | None
    filled_by: UserOut | None
    customer_manager: UserOut | None
    responsible_department: DepartmentOut | None
    responsible_staff_note: str
    responsibility_finding: str
    handling_opinion: str
    remedies: list[ChoiceOut]
    customer_informed: bool
    callback_required: bool
    management_opinion: str
    management_agreed: bool | None
    gm_decision: str
    accountability_note: str
    outcome: ChoiceOut | None
    outcome_explanation: str
    void_reason: str
    created_at: dt.datetime
    updated_at: dt.datetime
    available_actions: list[ActionOut] = Field(
        description="What the calling user may do now; POST to `url` with the action's fields."
    )


class ComplaintPageOut(Schema):
    count: int = Field(description="How many complaints match the filters in all.")
    limit: int
    offset: int
    items: list[ComplaintItemOut]


class EventOut(Schema):
    id: int
    kind: ChoiceOut
    action: str
    from_status: ChoiceOut | None
    to_status: ChoiceOut | None
    actor: UserOut | None
    step: ChoiceOut | None
    changes: dict[str, Any] = Field(description="field → [before, after]")
    data: dict[str, Any]
    comment: str
    created_at: dt.datetime


class MyStoreOut(StoreRefOut):
    roles: list[ChoiceOut]


class MeOut(Schema):
    id: int
    username: str
    name: str
    is_absent: bool
    stores: list[MyStoreOut]


class DepartmentDetailOut(DepartmentOut):
    primary: UserOut | None
    secondary: UserOut | None


class GroupOut(Schema):
    id: int
    code: str
    name: str


class StoreOut(StoreRefOut):
    group: GroupOut
    departments: list[DepartmentDetailOut]


class StaffOut(UserOut):
    is_absent: bool
    roles: list[ChoiceOut]


# ---------------------------------------------------------------------------------------------
# Presenters: rows → the dicts the schemas above describe.


def choice(choices, code) -> dict | None:
    if code in (None, ""):
        return None
    try:
        label = choices(code).label
    except ValueError:
        label = code  # a value no longer in the vocabulary still shows
    return {"code": str(code), "label": str(label)}


def user_out(user) -> dict | None:
    if user is None:
        return None
    return {"id": user.pk, "username": user.username, "name": str(user)}


def store_ref(store) -> dict:
    return {"id": store.pk, "code": store.code, "name": store.name, "timezone": store.timezone}


def department_out(dept) -> dict | None:
    if dept is None:
        return None
    return {"id": dept.pk, "kind": choice(DepartmentKind, dept.kind), "name": str(dept)}


def local(value: dt.datetime | None, tz) -> dt.datetime | None:
    return timezone.localtime(value, tz) if value else None


def step_out(step: Step | None, tz, now: dt.datetime) -> dict | None:
    if step is None:
        return None
    return {
        "kind": choice(StepKind, step.kind),
        "tier": step.tier,
        "started_at": local(step.started_at, tz),
        "due_at": local(step.due_at, tz),
        # Overdue is derived at read time, never stored (CONVENTIONS 7).
        "overdue": bool(step.finished_at is None and step.due_at and step.due_at < now),
        "assignee": user_out(step.assignee),
        "department_id": step.department_id,
    }


def complaint_item(c: Complaint, now: dt.datetime | None = None) -> dict:
    """The list row. Reads only what selectors.LIST_RELATED joins: no query per row."""
    tz = c.store.tz
    now = now or timezone.now()
    return {
        "id": c.pk,
        "number": c.number,
        "store": store_ref(c.store),
        "status": choice(Status, c.status),
        "tier": c.tier,
        "version": c.version,
        "channel": choice(Channel, c.channel),
        "nature": choice(Nature, c.nature),
        "severity": choice(Severity, c.severity),
        "received_at": local(c.received_at, tz),
        "summary": c.summary,
        "customer_name": c.customer_name,
        "plate": c.plate,
        "vehicle_model": c.vehicle_model,
        "concerned_department": department_out(c.concerned_department),
        "current_step": step_out(c.current_step, tz, now),
        "closed_at": local(c.closed_at, tz),
    }


def action_out(act: workflow.Action, complaint_id: int) -> dict:
    required = {
        p.name
        for p in inspect.signature(act.apply).parameters.values()
        if p.kind is p.KEYWORD_ONLY and p.default is p.empty
    }
    return {
        "name": act.name,
        "label": str(act.label),
        "style": act.style,
        "method": "POST",
        "url": reverse(f"api:complaint-action-{act.name}", kwargs={"complaint_id": complaint_id}),
        "fields": [{"name": p, "required": p in required} for p in act.params],
    }


def complaint_detail(c: Complaint, user) -> dict:
    tz = c.store.tz
    out = complaint_item(c)
    out.update(
        {
            "description": c.description,
            "location": c.location,
            "customer_phone": c.customer_phone,
            "contact_name": c.contact_name,
            "contact_phone": c.contact_phone,
            "vin": c.vin,
            "vehicle_brand": c.vehicle_brand,
            "result_so_far": c.result_so_far,
            "customer_demand": c.customer_demand,
            "repair_order": c.repair_order,
            "sales_contract": c.sales_contract,
            "involved_staff": [user_out(u) for u in c.involved_staff.order_by("pk")],
            "involved_staff_note": c.involved_staff_note,
            "received_by": user_out(c.received_by),
            "filled_by": user_out(c.filled_by),
            "customer_manager": user_out(c.customer_manager),
            "responsible_department": department_out(c.responsible_department),
            "responsible_staff_note": c.responsible_staff_note,
            "responsibility_finding": c.responsibility_finding,
            "handling_opinion": c.handling_opinion,
            "remedies": [choice(Remedy, r) for r in c.remedies or []],
            "customer_informed": c.customer_informed,
            "callback_required": c.callback_required,
            "management_opinion": c.management_opinion,
            "management_agreed": c.management_agreed,
            "gm_decision": c.gm_decision,
            "accountability_note": c.accountability_note,
            "outcome": choice(Outcome, c.outcome),
            "outcome_explanation": c.outcome_explanation,
            "void_reason": c.void_reason,
            "created_at": local(c.created_at, tz),
            "updated_at": local(c.updated_at, tz),
            "available_actions": [
                action_out(act, c.pk) for act in workflow.available_actions(c, user)
            ],
        }
    )
    return out


def event_out(e: ComplaintEvent, tz) -> dict:
    return {
        "id": e.pk,
        "kind": choice(EventKind, e.kind),
        "action": e.action,
        "from_status": choice(Status, e.from_status),
        "to_status": choice(Status, e.to_status),
        "actor": user_out(e.actor),
        "step": choice(StepKind, e.step.kind) if e.step_id else None,
        "changes": e.changes,
        "data": e.data,
        "comment": e.comment,
        "created_at": local(e.created_at, tz),
    }
