"""Reads of the playbook: which entries a store has, which fit a complaint, who may edit.

A store reads the shipped entries, each replaced by the store's own version of the same code
once its CS director has edited it. Store access is org.selectors.visible_store_ids, as for
every other read: another store is simply not found.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from complaintdesk.complaints.choices import TERMINAL_STATES
from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.workflow import ACTIONS, STATE_STEP, check_actor
from complaintdesk.core.errors import ConflictOfInterest, NotFound, NotPermitted
from complaintdesk.guidance.choices import KIND_ORDER, EntryKind
from complaintdesk.guidance.models import GuidanceEntry, GuidanceRevision, ScriptUse
from complaintdesk.org.models import Role, Store
from complaintdesk.org.selectors import roles_in_store, visible_store_ids

SETTLE_ACTION = "settle_by_script"
# gettext_lazy by its own name: makemessages extracts gettext_lazy(...), not an alias of it.
CLOSED_MESSAGE = gettext_lazy("The complaint is closed: nothing more is recorded on it.")


def readable_stores(user) -> list[Store]:
    return list(Store.objects.filter(pk__in=visible_store_ids(user)).order_by("group_id", "code"))


def store_for(user, store_id) -> Store:
    """A store the user holds a role in; any other id is not found."""
    try:
        store_id = int(store_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    if store_id not in visible_store_ids(user):
        raise NotFound()
    return Store.objects.get(pk=store_id)


def default_store_for(user, store_id=None) -> Store:
    """The store asked for, or the user's only store. A user with no store reads nothing."""
    if store_id not in (None, ""):
        return store_for(user, store_id)
    stores = readable_stores(user)
    if not stores:
        raise NotPermitted()
    return stores[0]


def can_edit(user, store: Store) -> bool:
    """Only the store's CS director edits its playbook (SPEC §8: the CS center's content)."""
    return Role.CS_DIRECTOR in roles_in_store(user, store)


def _sort_key(entry: GuidanceEntry):
    return (KIND_ORDER.get(entry.kind, 9), entry.order, entry.code)


def entries_for_store(store: Store, *, include_inactive: bool = True) -> list[GuidanceEntry]:
    """The store's playbook: shipped entries, each replaced by the store's own version."""
    rows = GuidanceEntry.objects.filter(Q(store__isnull=True) | Q(store=store)).prefetch_related(
        "branches"
    )
    by_code: dict[str, GuidanceEntry] = {}
    for entry in rows:
        if entry.code not in by_code or entry.store_id is not None:
            by_code[entry.code] = entry
    entries = [e for e in by_code.values() if include_inactive or e.active]
    return sorted(entries, key=_sort_key)


def entry_for(store: Store, code: str) -> GuidanceEntry:
    """The store's version of one entry, or the shipped one; missing codes are not found."""
    entry = (
        GuidanceEntry.objects.filter(store=store, code=code).first()
        or GuidanceEntry.objects.filter(store__isnull=True, code=code).first()
    )
    if entry is None:
        raise NotFound()
    return entry


def step_of(complaint: Complaint) -> str | None:
    """The workflow step the complaint's state runs (None once archived or voided)."""
    return STATE_STEP.get(complaint.status)


def fits(entry: GuidanceEntry, *, nature: str | None, step: str | None) -> bool:
    """An entry fits when its natures and steps include the complaint's (an empty list fits
    all). A complaint whose nature is not judged yet is fitted by every nature's entries: the
    person receiving it may need any script."""
    nature_ok = not entry.natures or not nature or nature in entry.natures
    step_ok = not entry.steps or (step is not None and step in entry.steps)
    return nature_ok and step_ok


def fitting(store: Store, *, nature=None, step=None, kind=None) -> list[GuidanceEntry]:
    """Active entries of the store that fit a nature and a step (None: any)."""
    return [
        e
        for e in entries_for_store(store, include_inactive=False)
        if (kind is None or e.kind == kind)
        and (not e.natures or not nature or nature in e.natures)
        and (not e.steps or not step or step in e.steps)
    ]


@dataclass
class ComplaintGuidance:
    complaint: Complaint
    step: str | None
    principles: list[GuidanceEntry] = field(default_factory=list)
    scripts: list[GuidanceEntry] = field(default_factory=list)
    phrases: list[GuidanceEntry] = field(default_factory=list)


def guidance_for_complaint(complaint: Complaint) -> ComplaintGuidance:
    """What the handler sees on the complaint page: the principles, and the scripts and hotline
    phrases that fit the complaint's nature and current step (SPEC §8). Nothing once the
    complaint is archived or voided."""
    step = step_of(complaint)
    result = ComplaintGuidance(complaint=complaint, step=step)
    if complaint.status in TERMINAL_STATES:
        return result
    for entry in entries_for_store(complaint.store, include_inactive=False):
        if not fits(entry, nature=complaint.nature, step=step):
            continue
        {
            EntryKind.PRINCIPLE: result.principles,
            EntryKind.SCRIPT: result.scripts,
            EntryKind.PHRASE: result.phrases,
        }[entry.kind].append(entry)
    return result


def is_involved(complaint: Complaint, user) -> bool:
    return complaint.involved_staff.filter(pk=user.pk).exists()


def record_refusal(complaint: Complaint, user) -> str | None:
    """Why this user may not record a script's use on this complaint now, or None.

    SPEC §1: the person complained about never handles their own complaint; the first-responder
    duty means any member of staff of the store may talk to the customer and record it."""
    if is_involved(complaint, user):
        return str(ConflictOfInterest.default_message)
    if complaint.status in TERMINAL_STATES:
        return str(CLOSED_MESSAGE)
    if not roles_in_store(user, complaint.store):
        return str(NotPermitted.default_message)
    return None


def settle_refusal(complaint: Complaint, user) -> str | None:
    """Why this user may not end this complaint with a script's answer now, or None (the same
    checks workflow.perform makes for settle_by_script)."""
    act = ACTIONS[SETTLE_ACTION]
    if complaint.status not in act.sources and not is_involved(complaint, user):
        return str(
            _("“%(action)s” is not possible while the complaint is “%(status)s”.")
            % {"action": act.label, "status": complaint.get_status_display()}
        )
    try:
        check_actor(complaint, user, act)
    except NotPermitted as exc:  # includes ConflictOfInterest
        return str(exc.message)
    return None


def revisions(entry: GuidanceEntry) -> list[GuidanceRevision]:
    return list(entry.revisions.select_related("editor").order_by("-created_at", "-id"))


def uses_of(complaint: Complaint) -> list[ScriptUse]:
    return list(
        complaint.script_uses.select_related("used_by", "entry", "branch").order_by("used_at", "id")
    )
