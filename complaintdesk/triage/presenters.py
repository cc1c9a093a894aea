"""Suggestions (engine.Suggestion.as_dict(), live or as recorded) → rows for the templates and the
API: values with their labels in the reader's language, confidence badges, the matched words."""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from complaintdesk.triage.choices import TARGET_VALUES, Confidence, Target

BADGES = {
    Confidence.HIGH: "text-bg-success",
    Confidence.MEDIUM: "text-bg-info",
    Confidence.LOW: "text-bg-light border text-body-secondary",
    Confidence.NONE: "text-bg-light border text-body-secondary",
}
FIELD_LABELS = {
    Target.NATURE: _("Nature"),
    Target.SEVERITY: _("Severity"),
    Target.DEPARTMENT: _("Department concerned"),
}


def shown_note(note: str) -> str:
    """A rule's note in the reader's language: the built-in notes are English msgids
    (default_rules.py), also where a group's copy kept them; a note a director wrote has no
    catalog entry and reads as written."""
    return gettext(note) if note else ""


def value_label(target: str, value: str) -> str:
    if not value:
        return ""
    try:
        return str(TARGET_VALUES[target](value).label)
    except (KeyError, ValueError):
        return value  # a value no longer in the vocabulary still shows


def confidence_label(code: str) -> str:
    try:
        return str(Confidence(code).label)
    except ValueError:
        return code


def reason_rows(target: str, reasons: list[dict]) -> list[dict]:
    rows = []
    for r in reasons:
        rows.append(
            {
                "value": r.get("value", ""),
                "value_label": value_label(target, r.get("value", "")),
                "weight": r.get("weight"),
                "keyword": r.get("keyword", ""),
                "found": r.get("found", ""),
                "rule": r.get("rule"),
                "builtin": r.get("builtin", False),
                "from_nature": r.get("from_nature", ""),
                "from_nature_label": value_label(Target.NATURE, r.get("from_nature", "")),
            }
        )
    return rows


def field_rows(data: dict, *, department_ids: dict | None = None) -> list[dict]:
    """One row per field: the suggestion, its confidence and its reasons (those for the
    suggested value in `why`, the others in `other`)."""
    rows = []
    for target in Target.values:
        f = data.get(target) or {}
        value = f.get("value", "")
        confidence = f.get("confidence") or Confidence.NONE
        reasons = reason_rows(target, f.get("reasons", []))
        precision = f.get("precision")
        rows.append(
            {
                "target": target,
                "field_label": str(FIELD_LABELS[target]),
                "value": value,
                "value_label": value_label(target, value),
                "confidence": confidence,
                "confidence_label": confidence_label(confidence),
                "badge": BADGES.get(confidence, BADGES[Confidence.NONE]),
                "guess": confidence in (Confidence.LOW, Confidence.NONE),
                "precision": precision,
                "percent_text": f"{round(precision * 100)}%" if precision is not None else "",
                "measured_on": f.get("measured_on", 0),
                "basis": f.get("basis", ""),
                "why": [r for r in reasons if r["value"] == value],
                "other": [r for r in reasons if r["value"] != value],
                "department_id": (department_ids or {}).get(value)
                if target == Target.DEPARTMENT
                else None,
            }
        )
    return rows


def api_field(data: dict, target: str) -> dict:
    f = data.get(target) or {}
    value = f.get("value", "")
    return {
        "value": {"code": value, "label": value_label(target, value)} if value else None,
        "confidence": f.get("confidence") or Confidence.NONE,
        "score": f.get("score", 0.0),
        "precision": f.get("precision"),
        "measured_on": f.get("measured_on", 0),
        "basis": f.get("basis", ""),
        "reasons": [
            {
                "value": r["value"],
                "label": r["value_label"],
                "weight": r["weight"],
                "keyword": r["keyword"],
                "found": r["found"],
                "rule": r["rule"],
                "from_nature": r["from_nature"],
            }
            for r in reason_rows(target, f.get("reasons", []))
        ],
    }


def api_suggestion(data: dict) -> dict:
    return {
        "language": data.get("language", ""),
        **{target: api_field(data, target) for target in Target.values},
    }
