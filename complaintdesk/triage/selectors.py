"""Reads for triage: the rules in force for a dealer group, the calibration (shipped and live),
who may edit which group's rules, and the recorded suggestions."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from django.db.models import Count, Max, Q

from complaintdesk.core.errors import NotFound, NotPermitted
from complaintdesk.org.models import DealerGroup, Role, RoleGrant, Store
from complaintdesk.org.selectors import visible_store_ids
from complaintdesk.triage import engine
from complaintdesk.triage.choices import Target
from complaintdesk.triage.models import TriageRecord, TriageRule

DATA_DIR = Path(__file__).resolve().parent / "data"
CALIBRATION_FILE = DATA_DIR / "calibration.json"
LABELS_FILE = DATA_DIR / "labels.csv"

# ---------------------------------------------------------------------------------------------
# Who edits which rules.


def directed_group_ids(user) -> frozenset[int]:
    """The dealer groups in which the user is a CS director (in any store, or group-wide): the
    groups whose rules they may edit."""
    if user is None or not user.is_authenticated:
        return frozenset()
    grants = RoleGrant.objects.filter(user=user, role=Role.CS_DIRECTOR)
    ids = set(grants.filter(store__isnull=True).values_list("group_id", flat=True))
    ids |= set(grants.filter(store__isnull=False).values_list("store__group_id", flat=True))
    return frozenset(ids)


def editor_group(user, group_id=None) -> DealerGroup:
    """The group whose rules the user edits: the one asked for, else their first. A user who
    directs no group is refused (403); a group they do not direct does not exist for them."""
    groups = directed_group_ids(user)
    if not groups:
        raise NotPermitted()
    if group_id in (None, ""):
        return DealerGroup.objects.filter(pk__in=groups).order_by("name", "pk").first()
    if not str(group_id).isdigit() or int(group_id) not in groups:
        raise NotFound()
    return DealerGroup.objects.get(pk=int(group_id))


def rule_for_editor(user, rule_id, group: DealerGroup) -> TriageRule:
    """A built-in rule or one of the group's; another group's rule is not found."""
    try:
        return TriageRule.objects.select_related("replaces", "created_by").get(
            Q(group__isnull=True) | Q(group=group), pk=int(rule_id)
        )
    except (TriageRule.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


@dataclass
class RuleRow:
    rule: TriageRule
    in_force: bool
    adapted_by: TriageRule | None = None  # a built-in rule the group replaced with its copy


def rules_for_editor(group: DealerGroup, *, target="", value="", q="") -> list[RuleRow]:
    """Every built-in rule and every rule of the group, with whether it is in force there."""
    rules = TriageRule.objects.filter(Q(group__isnull=True) | Q(group=group))
    if target:
        rules = rules.filter(target=target)
    if value:
        rules = rules.filter(value=value)
    if q:
        rules = rules.filter(Q(keyword__icontains=q) | Q(note__icontains=q))
    copies = {
        r.replaces_id: r for r in TriageRule.objects.filter(group=group, replaces__isnull=False)
    }
    rows = []
    for rule in rules.select_related("created_by"):
        adapted = copies.get(rule.pk) if rule.is_builtin else None
        rows.append(RuleRow(rule, rule.enabled and adapted is None, adapted))
    return rows


# ---------------------------------------------------------------------------------------------
# The rules in force, compiled once per change.


def effective_rules(group_id: int | None):
    """The group's enabled rules plus the enabled built-in rules it has not replaced."""
    replaced = TriageRule.objects.filter(group_id=group_id, replaces__isnull=False).values(
        "replaces_id"
    )
    qs = TriageRule.objects.filter(enabled=True)
    builtin = Q(group__isnull=True)
    if group_id is None:
        return qs.filter(builtin)
    return qs.filter((builtin & ~Q(pk__in=replaced)) | Q(group_id=group_id))


_cache_lock = threading.Lock()
_compiled: dict[int | None, tuple[tuple, list, float]] = {}
# How long a process trusts its compiled rules before checking the rules' stamp again (a rule
# written in this process clears them at once; other processes follow within this time).
STAMP_SECONDS = 2.0


def forget_compiled_rules() -> None:
    """Called by every rule write in this process; other processes notice the stamp change.
    Also drops the counted live decisions."""
    with _cache_lock:
        _compiled.clear()
        _live.clear()


def compiled_rules(group_id: int | None) -> list:
    """engine-ready rules for a group, rebuilt when a rule of the group or a built-in one was
    added or changed (count, last change and highest id as the stamp: one cheap query)."""
    now = time.monotonic()
    with _cache_lock:
        cached = _compiled.get(group_id)
    # Checked again at most every STAMP_SECONDS: an import suggests for thousands of rows.
    if cached is not None and now - cached[2] < STAMP_SECONDS:
        return cached[1]
    stamp_rows = TriageRule.objects.filter(Q(group__isnull=True) | Q(group_id=group_id))
    stamp = tuple(
        stamp_rows.aggregate(n=Count("id"), last=Max("updated_at"), top=Max("id")).values()
    )
    if cached is not None and cached[0] == stamp:
        with _cache_lock:
            _compiled[group_id] = (stamp, cached[1], now)
        return cached[1]
    rules = [
        engine.Rule(
            id=r.pk,
            keyword=r.keyword,
            target=r.target,
            value=r.value,
            weight=float(r.weight),
            language=r.language,
            match=r.match,
            builtin=r.group_id is None,
        )
        for r in effective_rules(group_id)
    ]
    compiled = engine.compile_rules(rules)
    with _cache_lock:
        _compiled[group_id] = (stamp, compiled, now)
    return compiled


# ---------------------------------------------------------------------------------------------
# Calibration.

_shipped: dict = {"mtime": None, "path": None, "data": {}}


def shipped_calibration(path: Path | None = None) -> dict:
    """data/calibration.json ({target: {value: {precision, predicted, support, tp}}}), re-read
    when the file changes; {} when there is none yet."""
    path = Path(path or CALIBRATION_FILE)
    try:
        mtime = path.stat().st_mtime
    except OSError:
        return {}
    if _shipped["path"] != path or _shipped["mtime"] != mtime:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {}
        _shipped.update(path=path, mtime=mtime, data=data)
    return _shipped["data"]


ACCEPTED_FIELDS = {
    Target.NATURE: ("suggested_nature", "nature_accepted"),
    Target.SEVERITY: ("suggested_severity", "severity_accepted"),
    Target.DEPARTMENT: ("suggested_department", "department_accepted"),
}


def live_feedback(records) -> dict[str, dict[str, tuple[int, int]]]:
    """{target: {suggested value: (decisions, accepted)}} over the given TriageRecords."""
    out: dict[str, dict[str, tuple[int, int]]] = {}
    for target, (suggested, accepted) in ACCEPTED_FIELDS.items():
        rows = (
            records.exclude(**{suggested: ""})
            .filter(**{f"{accepted}__isnull": False})
            .values(suggested)
            .annotate(decided=Count("id"), accepted=Count("id", filter=Q(**{accepted: True})))
        )
        out[target] = {r[suggested]: (r["decided"], r["accepted"]) for r in rows}
    return out


def group_records(group_id: int | None):
    """The live decisions that calibrate a group's suggestions: the records of its stores (the
    group runs one rule set, so its decisions measure that rule set)."""
    if group_id is None:
        return TriageRecord.objects.none()
    return TriageRecord.objects.filter(store__group_id=group_id)


# The live decisions change slowly and counting them reads every record of the group: each
# process counts them at most once per LIVE_FEEDBACK_SECONDS per group (an import of 2,000 rows
# would otherwise count all records again for every row).
LIVE_FEEDBACK_SECONDS = 300
_live: dict[int | None, tuple[float, dict]] = {}


def cached_live_feedback(group_id: int | None) -> dict:
    now = time.monotonic()
    with _cache_lock:
        cached = _live.get(group_id)
    if cached is not None and now - cached[0] < LIVE_FEEDBACK_SECONDS:
        return cached[1]
    live = live_feedback(group_records(group_id))
    with _cache_lock:
        _live[group_id] = (now, live)
    return live


def calibration_for(group_id: int | None) -> engine.Calibration:
    shipped = shipped_calibration()
    return engine.Calibration(
        shipped={t: shipped.get(t, {}) for t in Target.values},
        live=cached_live_feedback(group_id),
    )


# ---------------------------------------------------------------------------------------------
# Stores and records.


def store_for_suggestion(user, store_id) -> Store | None:
    """The store whose group's rules apply: one the user sees (404 otherwise); without one, the
    user's only group's first store, or None (built-in rules) when they see several groups."""
    visible = visible_store_ids(user)
    if store_id not in (None, ""):
        if not str(store_id).isdigit() or int(store_id) not in visible:
            raise NotFound()
        return Store.objects.select_related("group").get(pk=int(store_id))
    stores = Store.objects.filter(pk__in=visible).select_related("group").order_by("pk")
    if len({s.group_id for s in stores}) == 1:
        return stores[0]
    return None


def record_for(complaint) -> TriageRecord | None:
    return TriageRecord.objects.filter(complaint=complaint).select_related("actor").first()
