"""API shapes of triage: a suggestion request and its answer, and the record of a complaint."""

from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import Field

from complaintdesk.complaints.schemas import (
    MAX_ID,
    ChoiceOut,
    ComplaintOut,
    In,
    StoreRefOut,
    Text,
    UserOut,
    local,
    store_ref,
    user_out,
)
from complaintdesk.triage import presenters
from complaintdesk.triage.choices import Entry, Target
from complaintdesk.triage.models import TriageRecord


class SuggestIn(In):
    summary: Text = Field("", description="One line: what the complaint is about.")
    description: Text = Field("", description="What happened, as told.")
    customer_demand: Text = Field("", description="What the customer asks for (optional).")
    store: int | None = Field(
        None,
        ge=1,
        le=MAX_ID,
        description="The store receiving it: its dealer group's rules and measurements apply. "
        "Default: the caller's store when all their stores are in one group, else the "
        "built-in rules.",
    )


class ReasonOut(Schema):
    value: str = Field(description="The value this rule (or the nature) voted for.")
    label: str
    weight: float
    keyword: str = Field("", description="The rule's keyword.")
    found: str = Field("", description="The words of the text that matched it.")
    rule: int | None = Field(None, description="The rule's id; empty for a vote from the nature.")
    from_nature: str = Field("", description="Set when the department vote comes from the nature.")


class FieldOut(Schema):
    value: ChoiceOut | None = Field(description="The suggestion; null when nothing matched.")
    confidence: str = Field(
        description="high, medium, low (show as a guess) or none. High needs a measured "
        "precision of at least 0.8 on 5 or more suggestions and a clear lead; medium 0.6."
    )
    score: float
    precision: float | None = Field(
        description="How often such suggestions were right (labels, and live decisions)."
    )
    measured_on: int
    basis: str = Field(description="labels, live or labels+live; empty when never measured.")
    reasons: list[ReasonOut] = Field(description="The suggested value's reasons first.")


class SuggestionOut(Schema):
    language: str = Field(description="zh or en: which rules applied.")
    nature: FieldOut
    severity: FieldOut
    department: FieldOut


class SuggestOut(SuggestionOut):
    store: StoreRefOut | None = Field(description="The store whose group's rules were used.")


class ChosenOut(Schema):
    value: ChoiceOut | None = Field(description="What the filer chose; null when nothing.")
    accepted: bool | None = Field(
        description="Whether it equals the suggestion; null when the filer decided nothing."
    )


class TriageRecordOut(Schema):
    complaint_id: int
    entry: ChoiceOut = Field(description="ui, api, import or other.")
    suggestion: SuggestionOut
    chosen: dict[str, ChosenOut] = Field(description="nature, severity, department")
    actor: UserOut | None
    created_at: dt.datetime


class ComplaintCreatedOut(ComplaintOut):
    triage: TriageRecordOut | None = Field(
        None, description="The triage suggestion recorded with the new complaint (issue 6)."
    )


def suggest_out(data: dict, store) -> dict:
    return {**presenters.api_suggestion(data), "store": store_ref(store) if store else None}


def _choice(target: str, value: str) -> dict | None:
    if not value:
        return None
    return {"code": value, "label": presenters.value_label(target, value)}


def triage_record_out(record: TriageRecord | None) -> dict | None:
    if record is None:
        return None
    chosen = {
        Target.NATURE: (record.chosen_nature, record.nature_accepted),
        Target.SEVERITY: (record.chosen_severity, record.severity_accepted),
        Target.DEPARTMENT: (record.chosen_department, record.department_accepted),
    }
    return {
        "complaint_id": record.complaint_id,
        "entry": {"code": record.entry, "label": str(Entry(record.entry).label)},
        "suggestion": presenters.api_suggestion(record.reasons or {}),
        "chosen": {
            target: {"value": _choice(target, value), "accepted": accepted}
            for target, (value, accepted) in chosen.items()
        },
        "actor": user_out(record.actor),
        "created_at": local(record.created_at, record.store.tz),
    }
