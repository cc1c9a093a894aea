"""Revisions as a person reads them: which field of the entry or of which answer changed, from
what to what, with codes turned into labels."""

from __future__ import annotations

from django.utils.translation import gettext as _

from complaintdesk.complaints.choices import Nature, Remedy, StepKind
from complaintdesk.guidance.choices import Effect
from complaintdesk.guidance.models import GuidanceEntry, ScriptBranch

ENTRY_FIELDS = (
    "title_zh",
    "title_en",
    "body_zh",
    "body_en",
    "natures",
    "steps",
    "order",
    "active",
)
BRANCH_FIELDS = ("label_zh", "label_en", "reply_zh", "reply_en", "effect", "remedies")


def _labels(choices, values) -> str:
    known = dict(choices.choices)
    return "、".join(str(known.get(v, v)) for v in values or [])


def value_text(name: str, value) -> str:
    if name == "natures":
        return _labels(Nature, value) or _("all")
    if name == "steps":
        return _labels(StepKind, value) or _("all")
    if name == "remedies":
        return _labels(Remedy, value) or "—"
    if name == "effect":
        return str(dict(Effect.choices).get(value, value or "—"))
    if name == "active":
        return _("Yes") if value else _("No")
    if value in (None, ""):
        return "—"
    return str(value)


def _flatten(snapshot: dict) -> dict[str, tuple[str, str]]:
    rows: dict[str, tuple[str, str]] = {}
    for name in ENTRY_FIELDS:
        label = str(GuidanceEntry._meta.get_field(name).verbose_name)
        rows[name] = (label, value_text(name, snapshot.get(name)))
    for branch in snapshot.get("branches") or []:
        code = branch.get("code", "")
        for name in BRANCH_FIELDS:
            field = str(ScriptBranch._meta.get_field(name).verbose_name)
            label = _("Answer “%(code)s”: %(field)s") % {"code": code, "field": field}
            rows[f"branch:{code}:{name}"] = (label, value_text(name, branch.get(name)))
    return rows


def changes(before: dict, after: dict) -> list[tuple[str, str, str]]:
    """(label, before, after) for every field that differs; an answer added or removed shows
    "—" on the side where it did not exist."""
    old, new = _flatten(before), _flatten(after)
    out = []
    for key in [*old, *[k for k in new if k not in old]]:
        label = (new.get(key) or old.get(key))[0]
        was = old[key][1] if key in old else "—"
        now = new[key][1] if key in new else "—"
        if was != now:
            out.append((label, was, now))
    return out
