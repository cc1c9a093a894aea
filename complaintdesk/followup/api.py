"""REST endpoints for pending matters, the reception flag and callbacks (SPEC §5–§6).

Every read goes through followup.selectors (which start from Complaint.objects.visible_to);
writes go through followup.services or workflow.perform. Another store's complaint is 404.
"""

from __future__ import annotations

import datetime as dt

from ninja import Path, Query, Router, Schema

from complaintdesk.complaints import workflow
from complaintdesk.complaints.schemas import MAX_ID, ErrorOut
from complaintdesk.followup import selectors, services
from complaintdesk.followup.schemas import (
    CallbackIn,
    ContactIn,
    HomeVisitIn,
    LookupOut,
    MatterOut,
    QueueItemOut,
    complaint_ref,
    matter_out,
)

router = Router(tags=["pending matters and callbacks"])
READ_ERRORS = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
ComplaintId = Path(..., ge=1, le=MAX_ID, description="The complaint's id.")


class LookupIn(Schema):
    plate: str = ""
    vin: str = ""
    phone: str = ""


class LedgerIn(Schema):
    mine: bool = False
    reason: str = ""
    manager: int | None = None
    min_age_days: int | None = None
    max_age_days: int | None = None
    contact_due_by: dt.date | None = None
    include_closed: bool = False


@router.get("/lookup", response={200: LookupOut, **READ_ERRORS}, summary="Reception flag")
def lookup(request, params: Query[LookupIn]):
    """For the DMS at vehicle check-in: the open complaints and pending matters of a vehicle
    (plate or VIN) or customer (phone) in the caller's stores. Plates match whatever their
    spacing and case (京A·12345 = 京a12345), phones whatever their formatting."""
    found = selectors.lookup(request.auth, plate=params.plate, vin=params.vin, phone=params.phone)
    return {
        "plate": found.plate,
        "vin": found.vin,
        "phone": found.phone,
        "complaints": [complaint_ref(c) for c in found.complaints],
        "pending_matters": [matter_out(m) for m in found.matters],
    }


@router.get("/pending", response={200: list[MatterOut], **READ_ERRORS}, summary="Pending ledger")
def ledger(request, filters: Query[LedgerIn]):
    """The CS center's ledger of pending matters, or with `mine=true` the customer manager's."""
    f = selectors.LedgerFilter(**filters.dict())
    return [matter_out(m) for m in selectors.pending_ledger(request.auth, f)]


@router.get(
    "/pending/{complaint_id}", response={200: MatterOut, **READ_ERRORS}, summary="A pending matter"
)
def matter(request, complaint_id: int = ComplaintId):
    return matter_out(selectors.get_matter_for(request.auth, complaint_id), contacts=True)


@router.post(
    "/pending/{complaint_id}/contacts",
    response={201: MatterOut, **WRITE_ERRORS},
    summary="Record a contact",
)
def add_contact(request, payload: ContactIn, complaint_id: int = ComplaintId):
    """What changed when the customer was contacted; `returned` moves the complaint back into
    workflow A (with `nature`)."""
    data = payload.dict()
    services.pending_contact_record(
        actor=request.auth, complaint_id=complaint_id, **{**data, "nature": data["nature"] or ""}
    )
    return 201, matter_out(selectors.get_matter_for(request.auth, complaint_id), contacts=True)


@router.post(
    "/pending/{complaint_id}/home-visit",
    response={200: MatterOut, **WRITE_ERRORS},
    summary="Record the home visit",
)
def home_visit(request, payload: HomeVisitIn, complaint_id: int = ComplaintId):
    services.pending_home_visit_record(
        actor=request.auth, complaint_id=complaint_id, **payload.dict()
    )
    return matter_out(selectors.get_matter_for(request.auth, complaint_id), contacts=True)


@router.get("/callbacks", response={200: list[QueueItemOut], **READ_ERRORS}, summary="Callbacks")
def callback_queue(request):
    """Complaints owed a callback in the caller's stores, most urgent first."""
    return [
        {
            "complaint": complaint_ref(i.complaint),
            "kind": i.kind,
            "round": i.round,
            "attempts": i.attempts,
            "last_attempt_at": i.last_attempt_at,
            "serious": i.serious,
        }
        for i in selectors.callback_queue(request.auth)
    ]


@router.post(
    "/callbacks/{complaint_id}/attempts",
    response={200: dict, **WRITE_ERRORS},
    summary="Record a callback attempt",
)
def callback_attempt(request, payload: CallbackIn, complaint_id: int = ComplaintId):
    """Runs the workflow action `record_callback` (3 unanswered attempts at least 2 h apart:
    unreachable; satisfaction 1–2 reopens one tier higher)."""
    data = payload.dict()
    c = workflow.perform(
        "record_callback",
        complaint_id,
        actor=request.auth,
        expected_version=data.pop("expected_version"),
        **{k: v for k, v in data.items() if v is not None},
    )
    return {"complaint": complaint_ref(c), "version": c.version}
