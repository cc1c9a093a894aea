"""Shapes of the playbook API. Entries go out with both languages and, as `title` / `body`, the
text in the request's language (Chinese for zh-hans, English otherwise); choice fields as
{"code", "label"}."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from ninja import Schema
from pydantic import Field

from complaintdesk.complaints.choices import Nature, Remedy, Status, StepKind
from complaintdesk.complaints.schemas import ChoiceOut, In, Text, choice, choices_doc
from complaintdesk.guidance.choices import Effect, EntryKind

MAX_VERSION = 2_147_483_647  # an entry's version is a 32-bit integer column


class BranchOut(Schema):
    code: str
    label: str = Field(description="The customer's answer in the request's language.")
    reply: str = Field(description="Our reply in the request's language.")
    label_zh: str
    label_en: str
    reply_zh: str
    reply_en: str
    effect: ChoiceOut = Field(description=choices_doc(Effect))
    remedies: list[ChoiceOut]


class EntryOut(Schema):
    code: str
    kind: ChoiceOut = Field(description=choices_doc(EntryKind))
    title: str
    body: str
    title_zh: str
    title_en: str
    body_zh: str
    body_en: str
    natures: list[ChoiceOut] = Field(description="Natures it fits; empty: all.")
    steps: list[ChoiceOut] = Field(description="Workflow steps it fits; empty: all.")
    order: int
    active: bool
    version: int = Field(description="Send it back with an edit; 409 if it changed meanwhile.")
    own: bool = Field(description="True: the store's own version; false: the shipped one.")
    branches: list[BranchOut]


class EntriesQuery(Schema):
    store: int | None = Field(None, description="Store id; may be left out with a single store.")
    kind: EntryKind | None = None
    nature: Nature | None = Field(None, description="Only entries that fit this nature.")
    step: StepKind | None = Field(None, description="Only entries that fit this workflow step.")
    include_inactive: bool = False


class StoreQuery(Schema):
    store: int | None = Field(None, description="Store id; may be left out with a single store.")


class BranchIn(In):
    code: Text = Field(description="Lower-case letters, digits, - and _ (unique in the entry).")
    label_zh: Text
    label_en: Text
    reply_zh: Text
    reply_en: Text
    effect: Effect = Field(description=choices_doc(Effect))
    remedies: list[Remedy] = Field(
        default_factory=list, description="Recorded when the answer ends the complaint."
    )


class EntryResetIn(In):
    version: int = Field(ge=1, le=MAX_VERSION, description="The `version` the client last saw.")


class EntryPatchIn(In):
    """Only the fields sent change. `branches`, when sent, is the whole new list of answers."""

    version: int = Field(ge=1, le=MAX_VERSION, description="The `version` the client last saw.")
    title_zh: Text | None = None
    title_en: Text | None = None
    body_zh: Text | None = None
    body_en: Text | None = None
    natures: list[Nature] | None = None
    steps: list[StepKind] | None = None
    order: int | None = Field(None, ge=0, le=999)
    active: bool | None = None
    branches: list[BranchIn] | None = None


class EntryPutIn(In):
    """The whole entry (answers only for a script)."""

    version: int = Field(ge=1, le=MAX_VERSION, description="The `version` the client last saw.")
    title_zh: Text
    title_en: Text
    body_zh: Text
    body_en: Text
    natures: list[Nature]
    steps: list[StepKind]
    order: int = Field(ge=0, le=999)
    active: bool
    branches: list[BranchIn] = Field(default_factory=list)


class RevisionChangeOut(Schema):
    field: str
    before: str
    after: str


class RevisionOut(Schema):
    id: int
    editor: dict
    created_at: dt.datetime
    changes: list[RevisionChangeOut]
    before: dict
    after: dict


class ScriptUseIn(In):
    script: Text = Field(description="Code of the script (GET /api/guidance/complaints/{id}).")
    branch: Text = Field("", description="Code of the customer's answer (required if any).")
    note: Text = Field("", description="The handler's note on the conversation.")
    nature: Nature | None = Field(
        None, description="When closing a form with no nature judged yet (required then)."
    )
    callback_required: bool = Field(
        False, description="When closing: call the customer back after completion."
    )


class ComplaintStateOut(Schema):
    id: int
    number: str
    status: ChoiceOut
    nature: ChoiceOut | None
    step: ChoiceOut | None
    version: int


class ScriptUseOut(Schema):
    id: int
    script: str
    branch: str
    effect: ChoiceOut
    ended: bool = Field(description="Whether this answer closed the complaint.")
    note: str
    used_by: dict
    used_at: dt.datetime
    complaint: ComplaintStateOut


class ComplaintGuidanceOut(Schema):
    complaint: ComplaintStateOut
    can_record: bool = Field(description="Whether the caller may record a script's use.")
    can_settle: bool = Field(description="Whether an answer that ends the complaint may be used.")
    principles: list[EntryOut]
    scripts: list[EntryOut]
    phrases: list[EntryOut]


def _choices(enum, codes) -> list[dict]:
    return [c for c in (choice(enum, code) for code in codes or []) if c is not None]


def branch_out(b) -> dict:
    return {
        "code": b.code,
        "label": b.label,
        "reply": b.reply,
        "label_zh": b.label_zh,
        "label_en": b.label_en,
        "reply_zh": b.reply_zh,
        "reply_en": b.reply_en,
        "effect": choice(Effect, b.effect),
        "remedies": _choices(Remedy, b.remedies),
    }


def entry_out(e) -> dict:
    return {
        "code": e.code,
        "kind": choice(EntryKind, e.kind),
        "title": e.title,
        "body": e.body,
        "title_zh": e.title_zh,
        "title_en": e.title_en,
        "body_zh": e.body_zh,
        "body_en": e.body_en,
        "natures": _choices(Nature, e.natures),
        "steps": _choices(StepKind, e.steps),
        "order": e.order,
        "active": e.active,
        "version": e.version,
        "own": e.store_id is not None,
        "branches": [branch_out(b) for b in e.branches.all()],
    }


def complaint_state(c, step) -> dict:
    return {
        "id": c.pk,
        "number": c.number,
        "status": choice(Status, c.status),
        "nature": choice(Nature, c.nature),
        "step": choice(StepKind, step),
        "version": c.version,
    }


def user_ref(u) -> dict:
    return {"id": u.pk, "name": str(u)}


def script_use_out(u, complaint, step) -> dict:
    return {
        "id": u.pk,
        "script": u.script_code,
        "branch": u.branch_code,
        "effect": choice(Effect, u.effect),
        "ended": u.ended,
        "note": u.note,
        "used_by": user_ref(u.used_by),
        "used_at": timezone.localtime(u.used_at, complaint.store.tz),
        "complaint": complaint_state(complaint, step),
    }
