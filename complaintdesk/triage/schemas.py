"""API shapes of triage: a suggestion request and its answer, the record of a complaint, and the
CS director's keyword rules with their revisions."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from ninja import Schema
from pydantic import ConfigDict, Field, WithJsonSchema

from complaintdesk.complaints.schemas import (
    MAX_ID,
    ChoiceOut,
    ComplaintOut,
    GroupOut,
    In,
    StoreRefOut,
    Text,
    UserOut,
    choice,
    choices_doc,
    local,
    store_ref,
    user_out,
)
from complaintdesk.triage import presenters
from complaintdesk.triage.choices import (
    TARGET_VALUES,
    Entry,
    Language,
    MatchMode,
    RevisionAction,
    Target,
)
from complaintdesk.triage.models import TriageRecord, TriageRule, TriageRuleRevision


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


# ---------------------------------------------------------------------------------------------
# Rules (the CS director's rule editor, /triage/rules/ in the UI).


def _values_doc() -> str:
    return " ".join(f"{t}: {choices_doc(TARGET_VALUES[t])}." for t in Target.values)


VALUE_DOC = "The value the rule votes for; it must be a value of `target`. " + _values_doc()
WEIGHT_DOC = (
    'From 0.1 to 9.9 (a number, or a string such as "4.5"), rounded to one decimal. Defect '
    "words weigh 3, attitude 2.5, decisive signals 4–4.5; the strongest matching rule decides, "
    "the others add a quarter."
)
# Checked by services._clean_rule, which reads numbers and numeric strings alike and refuses
# anything else (NaN, infinity, a list…) with its own translated message on `weight`.
Weight = Annotated[Any, WithJsonSchema({"type": "number", "minimum": 0.1, "maximum": 9.9})]


class RuleFilterIn(Schema):
    """The list's filters, as in the UI."""

    model_config = ConfigDict(use_enum_values=True)

    group: int | None = Field(
        None,
        ge=1,
        le=MAX_ID,
        description="The dealer group whose rules to list (default: the caller's first group).",
    )
    target: Target | None = Field(None, description=choices_doc(Target))
    value: Text = Field("", max_length=30, description="Only rules voting for this value.")
    q: Text = Field("", max_length=60, description="Words in the keyword or the note.")
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=10**9)


class RuleCreateIn(In):
    """A new rule of the dealer group: it applies to the suggestions of the group's stores."""

    keyword: Text = Field(
        description="A keyword or phrase, Chinese or English (at most 60 characters).",
        json_schema_extra={"maxLength": 60},
    )
    language: Language = Field(Language.ANY, description=choices_doc(Language))
    match: MatchMode = Field(
        MatchMode.WORD,
        description=choices_doc(MatchMode)
        + ". Whole word: the keyword must be whole words of the text (Chinese as jieba cuts "
        "it); part of a word: anywhere in a Chinese text, the start of an English word.",
    )
    target: Target = Field(description=choices_doc(Target))
    value: Text = Field(description=VALUE_DOC)
    weight: Weight = Field(2, description=WEIGHT_DOC)
    enabled: bool = True
    note: Text = Field("", description="At most 200 characters.")


class RuleUpdateIn(In):
    """Only the fields sent change. Changing a built-in rule gives the group its own copy that
    replaces it for the group's stores only; the answer is that copy."""

    keyword: Text | None = None
    language: Language | None = Field(None, description=choices_doc(Language))
    match: MatchMode | None = Field(None, description=choices_doc(MatchMode))
    target: Target | None = Field(None, description=choices_doc(Target))
    value: Text | None = Field(None, description=VALUE_DOC)
    weight: Weight = Field(None, description=WEIGHT_DOC)
    enabled: bool | None = None
    note: Text | None = Field(None, description="At most 200 characters; null clears it.")


class RuleOut(Schema):
    id: int
    keyword: str
    language: ChoiceOut
    match: ChoiceOut
    target: ChoiceOut
    value: ChoiceOut
    weight: float
    enabled: bool
    note: str
    builtin: bool = Field(
        description="A built-in rule, shared by every dealer group (changing it makes the "
        "group's copy); false: a rule of `group`."
    )
    group: GroupOut | None = Field(description="The rule's dealer group; null when built-in.")
    replaces: int | None = Field(
        description="For a group's copy of a built-in rule: the built-in rule's id."
    )
    adapted_by: int | None = Field(
        description="For a built-in rule the group has adapted: the id of the group's copy, "
        "which is in force instead."
    )
    in_force: bool = Field(
        description="Whether the rule takes part in the group's suggestions: enabled and not "
        "replaced by a copy."
    )
    created_by: UserOut | None
    created_at: dt.datetime
    updated_at: dt.datetime


class RulePageOut(Schema):
    group: GroupOut = Field(description="The dealer group whose rules these are.")
    count: int = Field(description="How many rules match the filters in all.")
    limit: int
    offset: int
    items: list[RuleOut]


class RuleRevisionOut(Schema):
    id: int
    rule: int = Field(description="The rule's id.")
    action: ChoiceOut = Field(description=choices_doc(RevisionAction))
    actor: UserOut | None
    created_at: dt.datetime
    before: dict[str, Any] | None = Field(
        description="The rule's fields before; null when created. When a built-in rule was "
        "adapted: the built-in rule's fields, with `built_in_rule` its id."
    )
    after: dict[str, Any]
    changes: dict[str, list[Any]] = Field(description="field → [before, after], changed only.")


def group_out(group) -> dict | None:
    if group is None:
        return None
    return {"id": group.pk, "code": group.code, "name": group.name}


def rule_out(rule: TriageRule, *, group, tz, in_force: bool, adapted_by=None) -> dict:
    """A rule as the editor of `group` sees it. `group` is the editor's group (the owner of every
    non-built-in rule they can see): no query per row."""
    return {
        "id": rule.pk,
        "keyword": rule.keyword,
        "language": choice(Language, rule.language),
        "match": choice(MatchMode, rule.match),
        "target": choice(Target, rule.target),
        "value": {"code": rule.value, "label": presenters.value_label(rule.target, rule.value)},
        "weight": float(rule.weight),
        "enabled": rule.enabled,
        "note": rule.note,
        "builtin": rule.is_builtin,
        "group": None if rule.is_builtin else group_out(group),
        "replaces": rule.replaces_id,
        "adapted_by": adapted_by.pk if adapted_by is not None else None,
        "in_force": in_force,
        "created_by": user_out(rule.created_by),
        "created_at": local(rule.created_at, tz),
        "updated_at": local(rule.updated_at, tz),
    }


def rule_revision_out(rev: TriageRuleRevision, tz, fields) -> dict:
    before = rev.before or {}
    return {
        "id": rev.pk,
        "rule": rev.rule_id,
        "action": choice(RevisionAction, rev.action),
        "actor": user_out(rev.actor),
        "created_at": local(rev.created_at, tz),
        "before": rev.before,
        "after": rev.after,
        "changes": {
            name: [before.get(name), rev.after.get(name)]
            for name in fields
            if before.get(name) != rev.after.get(name)
        },
    }
