"""Writes of the playbook: a CS director's edit (with its revision) and a script's use.

A use whose answer ends the complaint goes through the workflow action settle_by_script
(complaints/actions.py), which calls `script_settle` here inside workflow.perform's transaction:
the use, the closing of the complaint and its timeline event commit together or not at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from complaintdesk.complaints import workflow
from complaintdesk.complaints.choices import TERMINAL_STATES, EventKind, Nature, Remedy
from complaintdesk.complaints.models import Complaint, ComplaintEvent
from complaintdesk.core.errors import (
    ConflictOfInterest,
    InvalidTransition,
    NotFound,
    NotPermitted,
    StaleVersion,
    ValidationFailed,
)
from complaintdesk.guidance import selectors
from complaintdesk.guidance.choices import WORKFLOW_STEPS, Effect, EntryKind
from complaintdesk.guidance.models import GuidanceEntry, GuidanceRevision, ScriptBranch, ScriptUse
from complaintdesk.org.models import Store
from complaintdesk.org.selectors import roles_in_store

MAX_TITLE = 200
MAX_TEXT = 10_000
MAX_NOTE = 5_000
MAX_BRANCHES = 12
MAX_ORDER = 999
MAX_KEY = 100
# The same answer recorded again by the same person within this time is a double click or a
# retry, not a second conversation: the first record stands (issue: two rows 150 ms apart).
REPEAT_WINDOW = timedelta(seconds=30)
CODE_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,49}$")

ENTRY_TEXTS = {
    "title_zh": MAX_TITLE,
    "title_en": MAX_TITLE,
    "body_zh": MAX_TEXT,
    "body_en": MAX_TEXT,
}
BRANCH_TEXTS = {
    "label_zh": MAX_TITLE,
    "label_en": MAX_TITLE,
    "reply_zh": MAX_TEXT,
    "reply_en": MAX_TEXT,
}
EDITABLE = (*ENTRY_TEXTS, "natures", "steps", "order", "active", "branches")

# gettext_lazy by its own name: makemessages extracts gettext_lazy(...), not an alias of it.
ENTRY_STALE = gettext_lazy(
    "Someone else edited this entry after you opened it. Reload it and make your change again."
)


# ---------------------------------------------------------------------------------------------
# Snapshots: what a revision stores before and after.


def branch_snapshot(b: ScriptBranch) -> dict:
    return {
        "code": b.code,
        "label_zh": b.label_zh,
        "label_en": b.label_en,
        "reply_zh": b.reply_zh,
        "reply_en": b.reply_en,
        "effect": b.effect,
        "remedies": list(b.remedies or []),
    }


def entry_snapshot(e: GuidanceEntry) -> dict:
    return {
        "code": e.code,
        "kind": e.kind,
        "store": e.store_id,
        **{name: getattr(e, name) for name in ENTRY_TEXTS},
        "natures": list(e.natures or []),
        "steps": list(e.steps or []),
        "order": e.order,
        "active": e.active,
        "branches": [branch_snapshot(b) for b in e.branches.order_by("order", "id")],
    }


# ---------------------------------------------------------------------------------------------
# Editing (SPEC §8: the CS director keeps the playbook; every edit leaves a revision).


def _err(errors: dict, name: str, message) -> None:
    errors.setdefault(name, []).append(message)


def _clean_text(errors, name, value, max_length, *, required=True) -> str:
    if not isinstance(value, str):
        _err(errors, name, _("Must be text."))
        return ""
    value = value.strip().replace("\r\n", "\n")
    if "\x00" in value:
        _err(errors, name, _("Text must not contain NUL characters."))
    elif required and not value:
        _err(errors, name, _("This field is required."))
    elif len(value) > max_length:
        _err(
            errors,
            name,
            _("At most %(n)d characters (got %(got)d).") % {"n": max_length, "got": len(value)},
        )
    return value


def _clean_codes(errors, name, values, allowed) -> list[str]:
    if not isinstance(values, list | tuple):
        _err(errors, name, _("Must be a list."))
        return []
    out = []
    for value in values:
        if value not in allowed:
            _err(
                errors,
                name,
                _("Unknown value %(value)r; expected one of: %(values)s")
                % {"value": value, "values": ", ".join(allowed)},
            )
        elif value not in out:
            out.append(value)
    return out


def _clean_branches(errors, kind, branches) -> list[dict]:
    if not isinstance(branches, list | tuple):
        _err(errors, "branches", _("Must be a list."))
        return []
    if branches and kind != EntryKind.SCRIPT:
        _err(errors, "branches", _("Only a script has customer's answers."))
        return []
    if len(branches) > MAX_BRANCHES:
        _err(errors, "branches", _("At most %(n)d answers.") % {"n": MAX_BRANCHES})
        return []
    out, seen = [], set()
    for i, raw in enumerate(branches):
        prefix = f"branches.{i}."
        raw = raw if isinstance(raw, dict) else {}
        code = raw.get("code")
        if not isinstance(code, str) or not CODE_RE.match(code):
            _err(
                errors,
                prefix + "code",
                _("Lower-case letters, digits, - and _ only (at most 50)."),
            )
        elif code in seen:
            _err(errors, prefix + "code", _("Two answers have the same code."))
        seen.add(code)
        clean = {"code": code}
        for name, max_length in BRANCH_TEXTS.items():
            clean[name] = _clean_text(errors, prefix + name, raw.get(name, ""), max_length)
        effect = raw.get("effect")
        if effect not in Effect.values:
            _err(
                errors,
                prefix + "effect",
                _("Unknown value %(value)r; expected one of: %(values)s")
                % {"value": effect, "values": ", ".join(Effect.values)},
            )
        clean["effect"] = effect
        clean["remedies"] = _clean_codes(
            errors, prefix + "remedies", raw.get("remedies") or [], Remedy.values
        )
        out.append(clean)
    return out


def _clean_changes(kind: str, changes: dict) -> dict:
    errors: dict = {}
    clean: dict = {}
    for name in sorted(set(changes) - set(EDITABLE)):
        _err(errors, name, _("Unexpected field."))
    for name, max_length in ENTRY_TEXTS.items():
        if name in changes:
            clean[name] = _clean_text(errors, name, changes[name], max_length)
    if "natures" in changes:
        clean["natures"] = _clean_codes(errors, "natures", changes["natures"], Nature.values)
    if "steps" in changes:
        clean["steps"] = _clean_codes(
            errors, "steps", changes["steps"], [str(s) for s in WORKFLOW_STEPS]
        )
    if "order" in changes:
        order = changes["order"]
        if isinstance(order, bool) or not isinstance(order, int) or not 0 <= order <= MAX_ORDER:
            _err(errors, "order", _("A whole number from 0 to %(n)d.") % {"n": MAX_ORDER})
        clean["order"] = order
    if "active" in changes:
        if changes["active"] not in (True, False):
            _err(errors, "active", _("Must be true or false."))
        clean["active"] = changes["active"]
    if "branches" in changes:
        clean["branches"] = _clean_branches(errors, kind, changes["branches"])
    if errors:
        raise ValidationFailed(errors=errors)
    return clean


def _lock_current(store: Store, code: str) -> GuidanceEntry:
    """The entry the store reads now, locked: its own version, else the shipped one (locking the
    shipped row serialises two directors making the store's first copy at once)."""
    own = GuidanceEntry.objects.select_for_update().filter(store=store, code=code).first()
    if own is not None:
        return own
    shipped = (
        GuidanceEntry.objects.select_for_update().filter(store__isnull=True, code=code).first()
    )
    if shipped is None:
        raise NotFound()
    return shipped


def _sync_branches(entry: GuidanceEntry, branches: list[dict]) -> None:
    """Make the entry's answers exactly `branches`, matched by code (uses keep their codes)."""
    existing = {b.code: b for b in entry.branches.all()}
    for order, data in enumerate(branches):
        branch = existing.pop(data["code"], None) or ScriptBranch(entry=entry, code=data["code"])
        for name in (*BRANCH_TEXTS, "effect", "remedies"):
            setattr(branch, name, data[name])
        branch.order = order
        branch.save()
    for branch in existing.values():
        branch.delete()


def entry_update(
    *, actor, store: Store, code: str, expected_version: int | None, **changes
) -> GuidanceEntry:
    """Edit one entry of one store's playbook. Only the store's CS director may; the first edit
    of shipped content makes the store's own copy (other stores keep reading the shipped one).
    A stale form is refused; an edit that changes nothing writes nothing."""
    if not selectors.can_edit(actor, store):
        raise NotPermitted(_("Only the store's customer service director may edit the playbook."))
    with transaction.atomic():
        current = _lock_current(store, code)
        if expected_version is None or expected_version != current.version:
            raise StaleVersion(ENTRY_STALE)
        clean = _clean_changes(current.kind, changes)
        before = entry_snapshot(current)
        wanted = {**before, **clean, "store": store.pk}
        if {k: v for k, v in wanted.items() if k != "store"} == {
            k: v for k, v in before.items() if k != "store"
        }:
            return current
        if current.store_id is None:
            entry = GuidanceEntry(store=store, code=current.code, kind=current.kind)
            entry.version = current.version
        else:
            entry = current
        for name in (*ENTRY_TEXTS, "natures", "steps", "order", "active"):
            setattr(entry, name, wanted[name])
        now = timezone.now()
        entry.version += 1
        entry.updated_at = now
        entry.updated_by = actor
        try:
            with transaction.atomic():
                entry.save()
        except IntegrityError:
            raise StaleVersion(ENTRY_STALE) from None
        _sync_branches(entry, wanted["branches"])
        GuidanceRevision.objects.create(
            entry=entry,
            editor=actor,
            created_at=now,
            before=before,
            after=entry_snapshot(entry),
        )
    return entry


def entry_reset(*, actor, store: Store, code: str, expected_version: int | None) -> GuidanceEntry:
    """Put a store's version of an entry back to the shipped content: an edit like any other
    (checked, versioned, kept as a revision), so the history shows it and it can be redone."""
    shipped = GuidanceEntry.objects.filter(store__isnull=True, code=code).first()
    if shipped is None:
        raise NotFound()
    content = entry_snapshot(shipped)
    return entry_update(
        actor=actor,
        store=store,
        code=code,
        expected_version=expected_version,
        **{name: content[name] for name in EDITABLE},
    )


# ---------------------------------------------------------------------------------------------
# Using a script with a customer.


def _both(zh: str, en: str) -> dict:
    return {"zh": zh, "en": en}


def _resolve(
    complaint: Complaint, script, branch, *, nature=None
) -> tuple[GuidanceEntry, ScriptBranch | None]:
    """The script (active, of this store's playbook, fitting the complaint now) and the
    customer's answer chosen from it; errors name the field."""
    errors: dict = {}
    entry = None
    if not isinstance(script, str) or not script:
        _err(errors, "script", _("This field is required."))
    else:
        try:
            entry = selectors.entry_for(complaint.store, script)
        except NotFound:
            entry = None
        if entry is None or not entry.active:
            _err(errors, "script", _("No such script in this store's playbook."))
            entry = None
        elif entry.kind != EntryKind.SCRIPT:
            _err(errors, "script", _("Only the use of a script is recorded."))
            entry = None
        elif not selectors.fits(
            entry, nature=nature or complaint.nature, step=selectors.step_of(complaint)
        ):
            _err(
                errors,
                "script",
                _("This script does not fit the complaint's nature or its current step."),
            )
    chosen = None
    if entry is not None:
        answers = {b.code: b for b in entry.branches.all()}
        if answers and not branch:
            _err(errors, "branch", _("Choose how the customer answered."))
        elif branch and branch not in answers:
            _err(errors, "branch", _("No such answer in this script."))
        else:
            chosen = answers.get(branch) if branch else None
    if errors:
        raise ValidationFailed(errors=errors)
    return entry, chosen


def _clean_note(note) -> str:
    errors: dict = {}
    note = _clean_text(errors, "note", note or "", MAX_NOTE, required=False)
    if errors:
        raise ValidationFailed(errors=errors)
    return note


def _event_data(use: ScriptUse, entry: GuidanceEntry, branch: ScriptBranch | None) -> dict:
    """What the timeline keeps: codes, and the texts as they were when the script was used."""
    data = {
        "use": use.pk,
        "script": entry.code,
        "script_title": _both(entry.title_zh, entry.title_en),
        "branch": branch.code if branch else "",
        "effect": use.effect,
    }
    if branch is not None:
        data["answer"] = _both(branch.label_zh, branch.label_en)
    return data


@dataclass
class Settlement:
    use: ScriptUse
    data: dict
    explanation: str
    remedies: list[str]


def script_settle(*, complaint: Complaint, actor, script, branch, note="") -> Settlement:
    """Called by the workflow action settle_by_script with the complaint locked and the actor
    checked: record the use of an answer that ends the complaint. The action closes it."""
    note = _clean_note(note)
    entry, chosen = _resolve(complaint, script, branch)
    if chosen is None or chosen.effect != Effect.ENDS:
        raise ValidationFailed(
            _("This answer lets the complaint continue: record it without closing."),
            field="branch",
        )
    use = ScriptUse.objects.create(
        complaint=complaint,
        entry=entry,
        branch=chosen,
        script_code=entry.code,
        branch_code=chosen.code,
        effect=Effect.ENDS,
        note=note,
        used_by=actor,
        used_at=timezone.now(),
        ended=True,
    )
    explanation = _(
        "Script “%(script)s”. The customer's answer: %(answer)s. Our reply: %(reply)s"
    ) % {"script": entry.title, "answer": chosen.label, "reply": chosen.reply}
    if note:
        explanation = f"{explanation}\n{note}"
    return Settlement(use, _event_data(use, entry, chosen), explanation, sorted(chosen.remedies))


def _clean_key(key) -> str:
    if key is None:
        return ""
    if not isinstance(key, str) or len(key.strip()) > MAX_KEY:
        raise ValidationFailed(
            _("At most %(n)d characters.") % {"n": MAX_KEY}, field="idempotency_key"
        )
    return key.strip()


def _earlier_use(complaint, actor, script, branch, note, key) -> ScriptUse | None:
    """The record a repeated request already made, if any: the one made with the same
    Idempotency-Key, or an identical answer (same person, script, answer and note) recorded on
    this complaint within REPEAT_WINDOW. The caller holds the complaint's row lock, so two
    concurrent repeats see each other."""
    if key:
        earlier = ScriptUse.objects.filter(used_by=actor, request_key=key).first()
        if earlier is not None and earlier.complaint_id != complaint.pk:
            raise ValidationFailed(
                _("This key was already used to record an answer on another complaint."),
                field="idempotency_key",
            )
        if earlier is not None:
            return earlier
    if not isinstance(script, str) or not isinstance(branch or "", str):
        return None
    return (
        ScriptUse.objects.filter(
            complaint=complaint,
            used_by=actor,
            script_code=script,
            branch_code=branch or "",
            note=note,
            used_at__gte=timezone.now() - REPEAT_WINDOW,
        )
        .order_by("-used_at", "-id")
        .first()
    )


def script_use_record(
    *,
    actor,
    complaint_id,
    script,
    branch="",
    note="",
    nature=None,
    callback_required=False,
    idempotency_key=None,
) -> tuple[ScriptUse, Complaint]:
    """Record that a script was used with the customer and how the customer answered.

    An answer that ends the complaint (e.g. the delay script's "agrees") closes it through the
    workflow action settle_by_script, in this same transaction; any other answer is recorded on
    the timeline and the complaint carries on where it is.

    Idempotent: a repeat (same Idempotency-Key, or the identical answer by the same person
    within REPEAT_WINDOW) returns the first record, marked `replayed`, and writes nothing.
    """
    key = _clean_key(idempotency_key)
    try:
        return _record_use(
            actor=actor,
            complaint_id=complaint_id,
            script=script,
            branch=branch,
            note=note,
            nature=nature,
            callback_required=callback_required,
            key=key,
        )
    except IntegrityError:
        # Lost a race with the same key on another complaint (one complaint's repeats are
        # serialised by its row lock): the unique (used_by, request_key) refused the second.
        earlier = ScriptUse.objects.filter(used_by=actor, request_key=key).first() if key else None
        if earlier is None:
            raise
        raise ValidationFailed(
            _("This key was already used to record an answer on another complaint."),
            field="idempotency_key",
        ) from None


def _record_use(
    *, actor, complaint_id, script, branch, note, nature, callback_required, key
) -> tuple[ScriptUse, Complaint]:
    with transaction.atomic():
        complaint = workflow.lock_complaint(complaint_id, actor)
        if selectors.is_involved(complaint, actor):
            raise ConflictOfInterest()
        # SPEC §1 first-responder duty: anyone on the store's staff may talk to the customer and
        # record what was said; closing the complaint needs settle_by_script's roles.
        if not roles_in_store(actor, complaint.store):
            raise NotPermitted()
        note = _clean_note(note)
        earlier = _earlier_use(complaint, actor, script, branch, note, key)
        if earlier is not None:
            earlier.replayed = True
            return earlier, complaint
        if complaint.status in TERMINAL_STATES:
            raise InvalidTransition(selectors.CLOSED_MESSAGE)
        entry, chosen = _resolve(complaint, script, branch, nature=nature)
        if chosen is not None and chosen.effect == Effect.ENDS:
            complaint = workflow.perform(
                selectors.SETTLE_ACTION,
                complaint.pk,
                actor=actor,
                script=entry.code,
                branch=chosen.code,
                nature=nature or None,
                callback_required=bool(callback_required),
                comment=note,
            )
            use = complaint.script_uses.order_by("-id").first()
            if key:
                use.request_key = key
                use.save(update_fields=["request_key"])
            return use, complaint
        return _record_continuing(complaint, actor, entry, chosen, note, key), complaint


def _record_continuing(complaint, actor, entry, chosen, note, key="") -> ScriptUse:
    """An answer that lets the complaint continue: a timeline entry, no change of state (and no
    new version: nothing on the form changed). The caller holds the complaint's row lock and
    has checked the actor."""
    note = _clean_note(note)
    now = timezone.now()
    use = ScriptUse.objects.create(
        complaint=complaint,
        entry=entry,
        branch=chosen,
        script_code=entry.code,
        branch_code=chosen.code if chosen else "",
        effect=chosen.effect if chosen else Effect.CONTINUES,
        note=note,
        used_by=actor,
        used_at=now,
        request_key=key,
    )
    ComplaintEvent.objects.create(
        complaint=complaint,
        step=complaint.current_step,
        actor=actor,
        kind=EventKind.SCRIPT_USED,
        action="script_use",
        from_status=complaint.status,
        to_status=complaint.status,
        data=_event_data(use, entry, chosen),
        comment=note,
        created_at=now,
    )
    return use
