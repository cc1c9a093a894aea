"""REST endpoints of triage (issue 6), mounted at /api/triage.

POST /suggest suggests from a text without storing anything; GET /complaints/{id} reads the
suggestion recorded when a complaint was entered (the complaint through the one access check:
another store's is 404). The create endpoint of /api/complaints answers with the same record.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import Path, Router

from complaintdesk.complaints.schemas import MAX_ID, ErrorOut
from complaintdesk.complaints.selectors import get_complaint_for
from complaintdesk.core.errors import NotFound
from complaintdesk.triage import selectors, services
from complaintdesk.triage.schemas import (
    SuggestIn,
    SuggestOut,
    TriageRecordOut,
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
