"""REST endpoints of the playbook (SPEC §8), mounted at /api/guidance.

Reads go through guidance.selectors (stores by visible_store_ids, complaints by
Complaint.objects.visible_to: another store's is 404); writes through guidance.services, which
closes a complaint only through workflow.perform (settle_by_script).
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Header, Path, Query, Router, Status

from complaintdesk.complaints.schemas import MAX_ID, ErrorOut
from complaintdesk.complaints.selectors import get_complaint_for
from complaintdesk.core.errors import NotPermitted, ValidationFailed
from complaintdesk.guidance import display, selectors, services
from complaintdesk.guidance.schemas import (
    ComplaintGuidanceOut,
    EntriesQuery,
    EntryOut,
    EntryPatchIn,
    EntryPutIn,
    EntryResetIn,
    RevisionOut,
    ScriptUseIn,
    ScriptUseOut,
    StoreQuery,
    complaint_state,
    entry_out,
    script_use_out,
    user_ref,
)

router = Router(tags=["handling guidance"])
READ_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
ComplaintId = Path(..., ge=1, le=MAX_ID, description="The complaint's id.")
Code = Path(..., max_length=50, pattern=r"^[a-z0-9][a-z0-9_-]*$", description="Entry code.")


def _store(user, store_id):
    """The store asked for (another is 404), or the caller's only store."""
    if store_id is not None:
        return selectors.store_for(user, store_id)
    stores = selectors.readable_stores(user)
    if not stores:
        raise NotPermitted(_("You hold no role in any store."))
    if len(stores) > 1:
        raise ValidationFailed(_("You work in several stores: say which one."), field="store")
    return stores[0]


@router.get("/entries", response={200: list[EntryOut], **READ_ERRORS}, summary="The playbook")
def entries(request, filters: Query[EntriesQuery]):
    """A store's principles, scripts and hotline phrases (its own versions where its CS director
    edited them), optionally only those that fit a nature and a workflow step."""
    store = _store(request.auth, filters.store)
    rows = selectors.entries_for_store(store, include_inactive=filters.include_inactive)
    return [
        entry_out(e)
        for e in rows
        if (filters.kind is None or e.kind == filters.kind)
        and (not filters.nature or not e.natures or filters.nature in e.natures)
        and (not filters.step or not e.steps or filters.step in e.steps)
    ]


@router.get("/entries/{code}", response={200: EntryOut, **READ_ERRORS}, summary="One entry")
def entry(request, params: Query[StoreQuery], code: str = Code):
    return entry_out(selectors.entry_for(_store(request.auth, params.store), code))


def _update(request, store_id, code, payload, *, partial: bool):
    store = _store(request.auth, store_id)
    data = payload.model_dump(exclude_unset=partial)
    version = data.pop("version")
    entry = services.entry_update(
        actor=request.auth, store=store, code=code, expected_version=version, **data
    )
    return entry_out(entry)


@router.patch("/entries/{code}", response={200: EntryOut, **WRITE_ERRORS}, summary="Edit")
def entry_patch(request, payload: EntryPatchIn, params: Query[StoreQuery], code: str = Code):
    """CS director of the store only. The first edit of shipped content makes the store's own
    version; every edit is kept as a revision (before and after)."""
    return _update(request, params.store, code, payload, partial=True)


@router.put("/entries/{code}", response={200: EntryOut, **WRITE_ERRORS}, summary="Replace")
def entry_put(request, payload: EntryPutIn, params: Query[StoreQuery], code: str = Code):
    """CS director of the store only: the whole entry, with its whole list of answers."""
    return _update(request, params.store, code, payload, partial=False)


@router.post(
    "/entries/{code}/reset", response={200: EntryOut, **WRITE_ERRORS}, summary="Back to shipped"
)
def entry_reset(request, payload: EntryResetIn, params: Query[StoreQuery], code: str = Code):
    """CS director of the store only: the store's version of the entry back to the shipped
    content (kept as a revision like any edit; nothing changes if it already reads so)."""
    store = _store(request.auth, params.store)
    return entry_out(
        services.entry_reset(
            actor=request.auth, store=store, code=code, expected_version=payload.version
        )
    )


@router.get(
    "/entries/{code}/revisions",
    response={200: list[RevisionOut], **READ_ERRORS},
    summary="History of edits",
)
def entry_revisions(request, params: Query[StoreQuery], code: str = Code):
    store = _store(request.auth, params.store)
    return [
        {
            "id": r.pk,
            "editor": user_ref(r.editor),
            "created_at": timezone.localtime(r.created_at, store.tz),
            "changes": [
                {"field": label, "before": before, "after": after}
                for label, before, after in display.changes(r.before, r.after)
            ],
            "before": r.before,
            "after": r.after,
        }
        for r in selectors.revisions(selectors.entry_for(store, code))
    ]


@router.get(
    "/complaints/{complaint_id}",
    response={200: ComplaintGuidanceOut, **READ_ERRORS},
    summary="Guidance for a complaint",
)
def complaint_guidance(request, complaint_id: int = ComplaintId):
    """The principles, and the scripts and hotline phrases that fit the complaint's nature and
    current step; whether the caller may record a script's use and close with an answer."""
    user = request.auth
    c = get_complaint_for(user, complaint_id)
    g = selectors.guidance_for_complaint(c)
    return {
        "complaint": complaint_state(c, g.step),
        "can_record": selectors.record_refusal(c, user) is None,
        "can_settle": selectors.settle_refusal(c, user) is None,
        "principles": [entry_out(e) for e in g.principles],
        "scripts": [entry_out(e) for e in g.scripts],
        "phrases": [entry_out(e) for e in g.phrases],
    }


@router.get(
    "/complaints/{complaint_id}/script-uses",
    response={200: list[ScriptUseOut], **READ_ERRORS},
    summary="Scripts used",
)
def script_uses(request, complaint_id: int = ComplaintId):
    c = get_complaint_for(request.auth, complaint_id)
    step = selectors.step_of(c)
    return [script_use_out(u, c, step) for u in selectors.uses_of(c)]


@router.post(
    "/complaints/{complaint_id}/script-uses",
    response={200: ScriptUseOut, 201: ScriptUseOut, **WRITE_ERRORS},
    summary="Record a script's use",
)
def script_use_add(
    request,
    payload: ScriptUseIn,
    complaint_id: int = ComplaintId,
    idempotency_key: str | None = Header(
        None,
        alias="Idempotency-Key",
        description="Send the same key again to retry safely: the first record is returned "
        "(200) instead of a second one being made (201).",
    ),
):
    """The script used with the customer and how the customer answered. An answer whose effect
    is `ends` closes the complaint (workflow action `settle_by_script`: resolved, completed — or
    to callback when one is owed); the response carries the complaint's new status. The person
    complained about is refused (403 conflict_of_interest). A repeat — the same Idempotency-Key,
    or the identical answer and note by the same person within 30 seconds — returns the first
    record (200) and writes nothing."""
    use, c = services.script_use_record(
        actor=request.auth,
        complaint_id=complaint_id,
        idempotency_key=(idempotency_key or "").strip() or None,
        **payload.model_dump(),
    )
    status = 200 if getattr(use, "replayed", False) else 201
    return Status(status, script_use_out(use, c, selectors.step_of(c)))
