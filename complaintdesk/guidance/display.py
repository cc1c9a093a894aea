"""Revisions as a person reads them: which field of the entry or of which answer changed, from
what to what, with codes turned into labels."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from complaintdesk.complaints.choices import Nature, Remedy, StepKind
from complaintdesk.core.text import join_list
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
    return join_list(known.get(v, v) for v in values or [])


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


def answer_name(branch: dict) -> str:
    """An answer as the reader knows it: its text in the reader's language (the code is only
    the director's key for it), the code when both texts are empty."""
    zh = (translation.get_language() or "").lower().startswith("zh")
    first, second = ("label_zh", "label_en") if zh else ("label_en", "label_zh")
    return str(branch.get(first) or branch.get(second) or branch.get("code") or "")


def _flatten(snapshot: dict, names: dict[str, str] | None = None) -> dict[str, tuple[str, str]]:
    names = names or {}
    rows: dict[str, tuple[str, str]] = {}
    for name in ENTRY_FIELDS:
        label = str(GuidanceEntry._meta.get_field(name).verbose_name)
        rows[name] = (label, value_text(name, snapshot.get(name)))
    for branch in snapshot.get("branches") or []:
        code = branch.get("code", "")
        for name in BRANCH_FIELDS:
            field = str(ScriptBranch._meta.get_field(name).verbose_name)
            answer = names.get(code) or answer_name(branch)
            label = _("Answer “%(code)s”: %(field)s") % {"code": answer, "field": field}
            rows[f"branch:{code}:{name}"] = (label, value_text(name, branch.get(name)))
    return rows


def changes(before: dict, after: dict) -> list[tuple[str, str, str]]:
    """(label, before, after) for every field that differs; an answer added or removed shows
    "—" on the side where it did not exist."""
    # An answer is named by its text after the edit (before it, for one removed), so that the
    # rows of one answer keep one name even when its text is what changed.
    names = {b.get("code"): answer_name(b) for b in before.get("branches") or []}
    names.update({b.get("code"): answer_name(b) for b in after.get("branches") or []})
    # Two answers read alike (e.g. one replaced by another of the same text): the code tells
    # them apart.
    texts = list(names.values())
    names = {c: f"{n} ({c})" if texts.count(n) > 1 else n for c, n in names.items()}
    old, new = _flatten(before, names), _flatten(after, names)
    out = []
    for key in [*old, *[k for k in new if k not in old]]:
        label = (new.get(key) or old.get(key))[0]
        was = old[key][1] if key in old else "—"
        now = new[key][1] if key in new else "—"
        if was != now:
            out.append((label, was, now))
    return out
