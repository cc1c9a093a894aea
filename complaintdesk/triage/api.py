"""REST endpoints of triage (issue 6), mounted at /api/triage.

POST /suggest suggests from a text without storing anything; GET /complaints/{id} reads the
suggestion recorded when a complaint was entered (the complaint through the one access check:
another store's is 404). The create endpoint of /api/complaints answers with the same record.

/rules is the CS director's rule editor of the UI (/triage/rules/): the built-in rules and the
dealer group's own, created, changed, enabled and disabled through triage.services (each change
writes a revision). Scope as in the UI: selectors.editor_group (not a CS director anywhere: 403;
a group the caller does not direct: 404) and selectors.rule_for_editor (another group's rule:
404). `?group=` picks the group for a director of several; without it, a group rule's own group
is used when the caller directs it, else the caller's first group.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Status

from complaintdesk.complaints.schemas import MAX_ID, ErrorOut
from complaintdesk.complaints.selectors import get_complaint_for
from complaintdesk.core.errors import NotFound, ValidationFailed
from complaintdesk.org.models import DealerGroup, Store
from complaintdesk.triage import selectors, services
from complaintdesk.triage.choices import TARGET_VALUES
from complaintdesk.triage.models import TriageRule
from complaintdesk.triage.schemas import (
    RuleCreateIn,
    RuleFilterIn,
    RuleOut,
    RulePageOut,
    RuleRevisionOut,
    RuleUpdateIn,
    SuggestIn,
    SuggestOut,
    TriageRecordOut,
    group_out,
    rule_out,
    rule_revision_out,
    suggest_out,
    triage_record_out,
)

router = Router(tags=["triage"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


@router.post(
    "/suggest",
    response={200: SuggestOut, **ERRORS},
    summary="Suggest nature, severity and department from a complaint's text",
    url_name="triage-suggest",
)
def suggest(request, payload: SuggestIn):
    """Segments the text (jieba for Chinese), matches the dealer group's keyword rules and answers
    each field with its confidence and the words it came from. Nothing is stored. A store the
    caller does not see is 404; no text at all, or text too long, is 422."""
    store = selectors.store_for_suggestion(request.auth, payload.store)
    texts = services.clean_suggest_input(payload.model_dump(exclude={"store"}))
    s = services.suggest(group_id=store.group_id if store else None, **texts)
    return suggest_out(s.as_dict(), store)


@router.get(
    "/complaints/{int:complaint_id}",
    response={200: TriageRecordOut, **ERRORS},
    summary="The suggestion recorded when a complaint was entered",
    url_name="triage-complaint",
)
def complaint_triage(
    request, complaint_id: int = Path(..., ge=1, le=MAX_ID, description="The complaint's id.")
):
    """Suggested and chosen nature, severity and department, whether each suggestion was
    accepted, and why it was made."""
    complaint = get_complaint_for(request.auth, complaint_id)
    record = selectors.record_for(complaint)
    if record is None:
        raise NotFound(_("No suggestion was recorded for this complaint."))
    return triage_record_out(record)


# ---------------------------------------------------------------------------------------------
# The rule editor (CS director).

RuleId = Path(..., ge=1, le=MAX_ID, description="The rule's id.")
GroupParam = Query(
    None,
    ge=1,
    le=MAX_ID,
    description="The dealer group edited (for a CS director of several groups).",
)
NOT_NULL = ("keyword", "language", "match", "target", "value", "weight", "enabled")


def _group_for_rule(user, rule_id: int, group_id: int | None) -> DealerGroup:
    """The editor's group for a rule: the one asked for, else the rule's own group when the
    caller directs it (a director of two groups needs no ?group= for a group rule), else their
    first. Checks the caller first, so that a non-director learns nothing about rule ids."""
    directed = selectors.directed_group_ids(user)
    if group_id is None and directed:
        owner = TriageRule.objects.filter(pk=rule_id).values_list("group_id", flat=True).first()
        if owner in directed:
            group_id = owner
    return selectors.editor_group(user, group_id)


def _tz(group: DealerGroup):
    # Rules belong to a group, not a store: times go out in the group's first store's zone
    # (the server's zone for a group without stores).
    store = Store.objects.filter(group=group).order_by("pk").first()
    return store.tz if store else None


def _rule_out(rule: TriageRule, group: DealerGroup, tz=None) -> dict:
    """One rule with whether it is in force in the group (as selectors.rules_for_editor)."""
    copy = None
    if rule.is_builtin:
        copy = TriageRule.objects.filter(group=group, replaces=rule).first()
    return rule_out(
        rule,
        group=group,
        tz=tz if tz is not None else _tz(group),
        in_force=rule.enabled and copy is None,
        adapted_by=copy,
    )


@router.get(
    "/rules",
    response={200: RulePageOut, **ERRORS},
    summary="List the triage rules of the caller's dealer group",
    url_name="triage-rules",
)
def list_rules(request, filters: Query[RuleFilterIn]):
    """CS directors only. Every built-in rule and every rule of the group, by field, value and
    weight, with whether each is in force in the group (a built-in rule the group adapted is
    replaced by the group's copy, `adapted_by`)."""
    group = selectors.editor_group(request.auth, filters.group)
    if filters.value:
        targets = [filters.target] if filters.target else list(TARGET_VALUES)
        known = [v for t in targets for v in TARGET_VALUES[t].values]
        if filters.value not in known:
            raise ValidationFailed(
                errors={
                    "value": [
                        _("Unknown value; expected one of: %(values)s")
                        % {"values": ", ".join(dict.fromkeys(known))}
                    ]
                }
            )
    rows = selectors.rules_for_editor(
        group, target=filters.target or "", value=filters.value, q=filters.q.strip()
    )
    tz = _tz(group)
    page = rows[filters.offset : filters.offset + filters.limit]
    return {
        "group": group_out(group),
        "count": len(rows),
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [
            rule_out(r.rule, group=group, tz=tz, in_force=r.in_force, adapted_by=r.adapted_by)
            for r in page
        ],
    }


@router.post(
    "/rules",
    response={201: RuleOut, **ERRORS},
    summary="Add a rule to the dealer group",
    url_name="triage-rule-create",
)
def create_rule(request, payload: RuleCreateIn, group: int | None = GroupParam):
    """CS directors only. A keyword that already votes for the same value in the group (its own
    rule or a built-in one in force) is refused: edit that rule instead (422 on `keyword`)."""
    g = selectors.editor_group(request.auth, group)
    rule = services.rule_create(actor=request.auth, group_id=g.pk, **payload.model_dump())
    return Status(201, _rule_out(rule, g))


@router.get(
    "/rules/{int:rule_id}",
    response={200: RuleOut, **ERRORS},
    summary="Read a triage rule",
    url_name="triage-rule",
)
def read_rule(request, rule_id: int = RuleId, group: int | None = GroupParam):
    """A built-in rule or one of the group's; another group's rule is 404."""
    g = _group_for_rule(request.auth, rule_id, group)
    return _rule_out(selectors.rule_for_editor(request.auth, rule_id, g), g)


@router.patch(
    "/rules/{int:rule_id}",
    response={200: RuleOut, **ERRORS},
    summary="Change a triage rule",
    url_name="triage-rule-edit",
)
def edit_rule(
    request, payload: RuleUpdateIn, rule_id: int = RuleId, group: int | None = GroupParam
):
    """Only the fields sent change, and a revision records before and after. A built-in rule is
    not changed itself: the group gets its own copy that replaces it for the group's stores
    (every other group keeps the built-in one), and the answer is that copy (its `replaces` is
    the built-in rule's id; later changes of either id go to the copy). Nothing changed: no
    revision."""
    changes = payload.model_dump(exclude_unset=True)
    nulls = [name for name in NOT_NULL if name in changes and changes[name] is None]
    if nulls:
        raise ValidationFailed(errors={name: [_("This field is required.")] for name in nulls})
    if "note" in changes and changes["note"] is None:
        changes["note"] = ""
    g = _group_for_rule(request.auth, rule_id, group)
    rule = services.rule_update(actor=request.auth, rule_id=rule_id, group_id=g.pk, **changes)
    return _rule_out(rule, g)


def _set_enabled(request, rule_id: int, group: int | None, enabled: bool) -> dict:
    g = _group_for_rule(request.auth, rule_id, group)
    rule = services.rule_set_enabled(
        actor=request.auth, rule_id=rule_id, group_id=g.pk, enabled=enabled
    )
    return _rule_out(rule, g)


@router.post(
    "/rules/{int:rule_id}/enable",
    response={200: RuleOut, **ERRORS},
    summary="Enable a triage rule for the group",
    url_name="triage-rule-enable",
)
def enable_rule(request, rule_id: int = RuleId, group: int | None = GroupParam):
    """The same as PATCH with `{"enabled": true}`; a built-in rule through the group's copy."""
    return _set_enabled(request, rule_id, group, True)


@router.post(
    "/rules/{int:rule_id}/disable",
    response={200: RuleOut, **ERRORS},
    summary="Disable a triage rule for the group",
    url_name="triage-rule-disable",
)
def disable_rule(request, rule_id: int = RuleId, group: int | None = GroupParam):
    """The same as PATCH with `{"enabled": false}`: the rule stops voting in the group's
    suggestions. Rules are never deleted, so that recorded reasons keep pointing at them. A
    built-in rule is disabled for the group only, through the group's copy (the answer)."""
    return _set_enabled(request, rule_id, group, False)


@router.get(
    "/rules/{int:rule_id}/revisions",
    response={200: list[RuleRevisionOut], **ERRORS},
    summary="The change history of a triage rule",
    url_name="triage-rule-revisions",
)
def rule_revisions(request, rule_id: int = RuleId, group: int | None = GroupParam):
    """Newest first: who, when, what (created, edited, enabled, disabled, built-in rule adapted),
    before and after. A built-in rule has none (it is shipped, never changed); the adaptation
    is the first revision of the group's copy (`adapted_by`)."""
    g = _group_for_rule(request.auth, rule_id, group)
    rule = selectors.rule_for_editor(request.auth, rule_id, g)
    tz = _tz(g)
    return [
        rule_revision_out(rev, tz, services.RULE_FIELDS)
        for rev in rule.revisions.select_related("actor")
    ]
