"""Request and response bodies of the follow-up API, and the presenters that fill them."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from ninja import Schema
from pydantic import Field

from complaintdesk.complaints.choices import Nature, Status
from complaintdesk.complaints.schemas import In, Text, choice, store_ref, user_out
from complaintdesk.followup.choices import ContactChannel, ContactOutcome, Satisfaction
from complaintdesk.followup.selectors import age_days


class ChoiceOut(Schema):
    code: str
    label: str


class RefOut(Schema):
    id: int
    name: str


class ComplaintRefOut(Schema):
    id: int
    number: str
    summary: str
    status: ChoiceOut
    tier: int
    store: dict
    plate: str
    customer: str
    due_at: dt.datetime | None


class ContactOut(Schema):
    contacted_at: dt.datetime
    contacted_by: dict | None
    channel: ChoiceOut
    outcome: ChoiceOut
    note: str
    next_contact_on: dt.date | None


class MatterOut(Schema):
    complaint: ComplaintRefOut
    reason: ChoiceOut
    customer_manager: dict | None
    approved_by: dict | None
    approved_at: dt.datetime
    opened_at: dt.datetime
    closed_at: dt.datetime | None
    age_days: int
    home_visit_required: bool
    home_visit_on: dt.date | None
    home_visit_by: dict | None
    home_visit_outcome: str
    next_contact_on: dt.date | None
    last_contact_at: dt.datetime | None
    last_contact_outcome: ChoiceOut | None
    contacts: list[ContactOut] | None = None


class LookupOut(Schema):
    plate: str
    vin: str
    phone: str
    complaints: list[ComplaintRefOut]
    pending_matters: list[MatterOut]


class QueueItemOut(Schema):
    complaint: ComplaintRefOut
    kind: str = Field(description="`completed`, `after_service` or `followup` (second callback).")
    round: int
    attempts: int
    last_attempt_at: dt.datetime | None
    serious: bool


class ContactIn(In):
    channel: ContactChannel
    outcome: ContactOutcome
    note: Text = ""
    next_contact_on: dt.date | None = None
    nature: Nature | None = Field(None, description="Required with outcome `returned`.")


class HomeVisitIn(In):
    visited_on: dt.date
    outcome: Text


class CallbackIn(In):
    reached: bool
    satisfaction: Satisfaction | None = Field(
        None, description="1 very dissatisfied … 5 very satisfied (required when reached)."
    )
    customer_words: Text = ""
    comment: Text = ""
    expected_version: int | None = None


def complaint_ref(c) -> dict:
    step = c.current_step if c.current_step_id else None
    return {
        "id": c.pk,
        "number": c.number,
        "summary": c.summary,
        "status": choice(Status, c.status),
        "tier": c.tier,
        "store": store_ref(c.store),
        "plate": c.plate,
        "customer": c.customer_name or c.contact_name,
        "due_at": timezone.localtime(step.due_at, c.store.tz) if step and step.due_at else None,
    }


def matter_out(m, *, contacts=False) -> dict:
    c = m.complaint
    out = {
        "complaint": complaint_ref(c),
        "reason": choice(Nature, m.reason),
        "customer_manager": user_out(c.customer_manager),
        "approved_by": user_out(m.approved_by),
        "approved_at": m.approved_at,
        "opened_at": m.opened_at,
        "closed_at": m.closed_at,
        "age_days": age_days(m),
        "home_visit_required": m.home_visit_required,
        "home_visit_on": m.home_visit_on,
        "home_visit_by": user_out(m.home_visit_by),
        "home_visit_outcome": m.home_visit_outcome,
        "next_contact_on": m.next_contact_on,
        "last_contact_at": m.last_contact_at,
        "last_contact_outcome": choice(ContactOutcome, m.last_contact_outcome),
    }
    if contacts:
        out["contacts"] = [
            {
                "contacted_at": x.contacted_at,
                "contacted_by": user_out(x.contacted_by),
                "channel": choice(ContactChannel, x.channel),
                "outcome": choice(ContactOutcome, x.outcome),
                "note": x.note,
                "next_contact_on": x.next_contact_on,
            }
            for x in m.contacts.select_related("contacted_by")
        ]
    return out
