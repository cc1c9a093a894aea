"""Writes of triage: suggestions recorded at intake, and the CS director's rule edits (each with
its revision row). Suggestions themselves are computed by the pure engine."""

from __future__ import annotations

import decimal
import logging
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaintdesk.complaints.choices import Severity
from complaintdesk.core.errors import StaleVersion, ValidationFailed
from complaintdesk.org.models import DealerGroup
from complaintdesk.triage import engine, selectors
from complaintdesk.triage.choices import (
    TARGET_VALUES,
    Entry,
    Language,
    MatchMode,
    RevisionAction,
    Target,
)
from complaintdesk.triage.models import TriageRecord, TriageRule, TriageRuleRevision

log = logging.getLogger(__name__)

MAX_SUGGEST_TEXT = 20_000
MAX_SUMMARY = 200

# ---------------------------------------------------------------------------------------------
# Suggestions.


def suggest(
    *, group_id: int | None, summary: str = "", description: str = "", customer_demand: str = ""
) -> engine.Suggestion:
    """The suggestion for a complaint's text, with the group's rules and calibration."""
    return engine.suggest(
        [summary, description, customer_demand],
        selectors.compiled_rules(group_id),
        selectors.calibration_for(group_id),
    )


def clean_suggest_input(data: dict) -> dict:
    """The texts of a suggestion request: strings, not too long, not all empty (422/400 with the
    field named)."""
    errors: dict = {}
    out = {}
    for name, limit in (
        ("summary", MAX_SUMMARY),
        ("description", MAX_SUGGEST_TEXT),
        ("customer_demand", MAX_SUGGEST_TEXT),
    ):
        value = data.get(name)
        if value is None:
            value = ""
        if not isinstance(value, str):
            errors.setdefault(name, []).append(_("Must be text."))
            continue
        if len(value) > limit:
            errors.setdefault(name, []).append(
                _("At most %(n)d characters (got %(got)d).") % {"n": limit, "got": len(value)}
            )
        out[name] = value.strip()
    if not errors and not any(out.values()):
        errors["summary"] = [_("Give a summary or a description to suggest from.")]
    if errors:
        raise ValidationFailed(errors=errors)
    return out


def triage_record_create(
    *,
    complaint,
    actor,
    now=None,
    entry: str | None = None,
    decided: Iterable[str] | None = None,
) -> TriageRecord | None:
    """Record the suggestion for a new complaint beside what the filer chose (issue 6).

    Called by complaints.services.complaint_create inside its transaction. `entry` is where it
    was entered (default: import when it has a source, else other). `decided` names the fields
    the filer actually chose (`nature`, `severity`, `department`); by default a nature or
    department counts when one was given and the severity always (every form has one). A field
    not decided has `accepted` empty: it says nothing about the suggestion.

    A suggestion must never stop a complaint from being received (first-responder duty, SPEC
    §1): a failure here is logged and the complaint is stored without its record.
    """
    try:
        with transaction.atomic():  # a savepoint: a failure leaves the complaint's rows intact
            return _record(complaint, actor, now or timezone.now(), entry, decided)
    except Exception:
        log.exception("triage: no suggestion recorded for complaint %s", complaint.pk)
        return None


def _record(complaint, actor, now, entry, decided) -> TriageRecord:
    store = complaint.store
    s = suggest(
        group_id=store.group_id,
        summary=complaint.summary,
        description=complaint.description,
        customer_demand=complaint.customer_demand,
    )
    dept = complaint.concerned_department
    chosen = {
        Target.NATURE: complaint.nature or "",
        Target.SEVERITY: complaint.severity or Severity.ORDINARY,
        Target.DEPARTMENT: dept.kind if dept else "",
    }
    if decided is None:
        decided = {t for t, v in chosen.items() if v and t != Target.SEVERITY}
        decided.add(Target.SEVERITY)
    decided = set(decided)

    def accepted(target):
        suggested = s.field(target).value
        if target not in decided or not suggested or not chosen[target]:
            return None
        return chosen[target] == suggested

    return TriageRecord.objects.create(
        complaint=complaint,
        store=store,
        entry=entry or (Entry.IMPORT if complaint.source else Entry.OTHER),
        suggested_nature=s.nature.value,
        suggested_severity=s.severity.value,
        suggested_department=s.department.value,
        nature_confidence=s.nature.confidence,
        severity_confidence=s.severity.confidence,
        department_confidence=s.department.confidence,
        reasons=s.as_dict(),
        chosen_nature=chosen[Target.NATURE],
        chosen_severity=chosen[Target.SEVERITY],
        chosen_department=chosen[Target.DEPARTMENT],
        nature_accepted=accepted(Target.NATURE),
        severity_accepted=accepted(Target.SEVERITY),
        department_accepted=accepted(Target.DEPARTMENT),
        actor=actor,
        created_at=now,
    )


# ---------------------------------------------------------------------------------------------
# Rules.

RULE_FIELDS = ("keyword", "language", "match", "target", "value", "weight", "enabled", "note")


def snapshot(rule: TriageRule) -> dict:
    """A rule's editable fields as JSON (the before/after of a revision)."""
    out = {name: getattr(rule, name) for name in RULE_FIELDS}
    out["weight"] = str(rule.weight)
    return out


def _clean_rule(data: dict) -> dict:
    errors: dict = {}

    def err(name, message):
        errors.setdefault(name, []).append(message)

    keyword = " ".join(str(data.get("keyword") or "").split())
    if not keyword:
        err("keyword", _("This field is required."))
    elif len(keyword) > 60:
        err(
            "keyword", _("At most %(n)d characters (got %(got)d).") % {"n": 60, "got": len(keyword)}
        )
    elif not engine.CJK.search(keyword) and not engine.EN_WORD.search(keyword.lower()):
        err("keyword", _("A keyword needs letters, digits or Chinese characters."))
    language = data.get("language") or Language.ANY
    if language not in Language.values:
        err("language", _("Unknown language %(v)r.") % {"v": language})
    match = data.get("match") or MatchMode.WORD
    if match not in MatchMode.values:
        err("match", _("Unknown match mode %(v)r.") % {"v": match})
    target = data.get("target")
    value = data.get("value")
    if target not in Target.values:
        err("target", _("Choose nature, severity or department."))
    elif value not in TARGET_VALUES[target].values:
        err(
            "value",
            _("%(v)r is not a value of %(target)s; expected one of: %(all)s")
            % {
                "v": value,
                "target": Target(target).label,
                "all": ", ".join(TARGET_VALUES[target].values),
            },
        )
    try:
        weight = decimal.Decimal(str(data.get("weight", ""))).quantize(decimal.Decimal("0.1"))
        if not decimal.Decimal("0.1") <= weight <= decimal.Decimal("9.9"):
            raise decimal.InvalidOperation
    except (decimal.InvalidOperation, ValueError):
        err("weight", _("A weight from 0.1 to 9.9."))
        weight = None
    note = str(data.get("note") or "").strip()
    if len(note) > 200:
        err("note", _("At most %(n)d characters (got %(got)d).") % {"n": 200, "got": len(note)})
    if errors:
        raise ValidationFailed(errors=errors)
    return {
        "keyword": keyword,
        "language": language,
        "match": match,
        "target": target,
        "value": value,
        "weight": weight,
        "note": note,
        "enabled": bool(data.get("enabled", True)),
    }


def _check_duplicate(group: DealerGroup, clean: dict, *, exclude: Iterable[int] = ()) -> None:
    """One rule per keyword, language, target and value among the rules in force in the group:
    a second one would count the same words twice."""
    same = (
        selectors.effective_rules(group.pk)
        .filter(
            keyword__iexact=clean["keyword"],
            language=clean["language"],
            target=clean["target"],
            value=clean["value"],
        )
        .exclude(pk__in=list(exclude))
        .first()
    )
    if same is not None:
        raise ValidationFailed(
            errors={
                "keyword": [
                    _("This keyword already suggests this value (rule %(id)d): edit that rule.")
                    % {"id": same.pk}
                ]
            }
        )


def _revision(rule, actor, action, before, now) -> None:
    TriageRuleRevision.objects.create(
        rule=rule, actor=actor, action=action, before=before, after=snapshot(rule), created_at=now
    )


def _lock_group(group: DealerGroup) -> None:
    DealerGroup.objects.select_for_update().filter(pk=group.pk).first()


def rule_create(*, actor, group_id=None, now=None, **data) -> TriageRule:
    """A new rule of the CS director's group."""
    group = selectors.editor_group(actor, group_id)
    clean = _clean_rule(data)
    now = now or timezone.now()
    try:
        with transaction.atomic():
            _lock_group(group)
            _check_duplicate(group, clean)
            rule = TriageRule.objects.create(group=group, created_by=actor, **clean)
            _revision(rule, actor, RevisionAction.CREATED, None, now)
    except IntegrityError:
        raise StaleVersion() from None  # the same rule saved at the same moment by someone else
    selectors.forget_compiled_rules()
    return rule


def rule_update(*, actor, rule_id, group_id=None, now=None, **changes) -> TriageRule:
    """Change a rule of the group; a built-in rule is adapted: the group gets its own copy that
    replaces it there (the built-in one stays as shipped for every other group)."""
    group = selectors.editor_group(actor, group_id)
    now = now or timezone.now()
    try:
        rule = _update_locked(actor, rule_id, group, changes, now)
    except IntegrityError:
        raise StaleVersion() from None  # the same rule adapted at the same moment by someone else
    selectors.forget_compiled_rules()
    return rule


def _update_locked(actor, rule_id, group, changes, now) -> TriageRule:
    with transaction.atomic():
        # Edits of one group's rules run one after the other: two directors adapting the same
        # built-in rule at once must not both create the group's copy.
        _lock_group(group)
        rule = selectors.rule_for_editor(actor, rule_id, group)
        if rule.is_builtin:
            existing = TriageRule.objects.filter(group=group, replaces=rule).first()
            if existing is not None:
                rule = existing  # the group's copy is the one to change
        current = snapshot(rule)
        clean = _clean_rule({**current, **changes})
        if {**clean, "weight": str(clean["weight"])} == current:
            return rule  # nothing changed: no copy, no revision
        _check_duplicate(group, clean, exclude=[rule.pk, rule.replaces_id or 0])
        if rule.is_builtin:
            copy = TriageRule.objects.create(group=group, replaces=rule, created_by=actor, **clean)
            _revision(
                copy, actor, RevisionAction.OVERRIDDEN, {**current, "built_in_rule": rule.pk}, now
            )
            rule = copy
        else:
            TriageRule.objects.filter(pk=rule.pk).update(**clean, updated_at=now)
            rule.refresh_from_db()
            if snapshot(rule) != current:
                action = RevisionAction.EDITED
                if set(changes) == {"enabled"}:
                    action = RevisionAction.ENABLED if rule.enabled else RevisionAction.DISABLED
                _revision(rule, actor, action, current, now)
    return rule


def rule_set_enabled(*, actor, rule_id, enabled: bool, group_id=None, now=None) -> TriageRule:
    """Disable or enable a rule for the group (a built-in one through the group's copy)."""
    return rule_update(
        actor=actor, rule_id=rule_id, group_id=group_id, now=now, enabled=bool(enabled)
    )


# ---------------------------------------------------------------------------------------------
# Built-in rules.


def sync_default_rules(rule_model=TriageRule, rules: Iterable[dict] | None = None) -> int:
    """Insert the built-in rules that are missing (by keyword, language, target and value);
    never changes an existing row. Migrations call it with their historical model."""
    from complaintdesk.triage.default_rules import default_rules

    rules = list(rules if rules is not None else default_rules())
    existing = {
        (k.lower(), lang, t, v)
        for k, lang, t, v in rule_model.objects.filter(group__isnull=True).values_list(
            "keyword", "language", "target", "value"
        )
    }
    new = [
        rule_model(
            keyword=r["keyword"],
            language=r["language"],
            match=r["match"],
            target=r["target"],
            value=r["value"],
            weight=decimal.Decimal(str(r["weight"])),
            note=r["note"],
        )
        for r in rules
        if (r["keyword"].lower(), r["language"], r["target"], r["value"]) not in existing
    ]
    rule_model.objects.bulk_create(new)
    return len(new)
