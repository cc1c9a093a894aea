"""REST endpoints for the three guarantees (三包, SPEC §9): a complaint's standing against the
regulation's thresholds, its vehicle's facts and repair visits, and the DMS import.

Every read starts from complaints.selectors.get_complaint_for (another store's complaint is 404);
writes go through warranty.services, which refuse the staff complained about (403
conflict_of_interest) and roles that do not record repairs (403 not_permitted).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import File, Form, Path, Router, Status
from ninja.files import UploadedFile

from complaintdesk.complaints import selectors as complaint_selectors
from complaintdesk.complaints.schemas import MAX_ID, ErrorOut
from complaintdesk.core.errors import ConflictOfInterest, NotFound, ValidationFailed
from complaintdesk.org.selectors import stores_for
from complaintdesk.warranty import importing, services
from complaintdesk.warranty.importing import import_repairs_file
from complaintdesk.warranty.schemas import (
    EvaluationOut,
    ImportFailedOut,
    ImportReportOut,
    VehicleFactsIn,
    VisitIn,
    evaluation_out,
)

router = Router(tags=["three guarantees (三包)"])
READ_ERRORS = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
ComplaintId = Path(..., ge=1, le=MAX_ID, description="The complaint's id.")
VisitId = Path(..., ge=1, le=MAX_ID, description="The repair visit's id.")
MAX_UPLOAD = 20 * 1024 * 1024


def _out(request, complaint_id) -> dict:
    return evaluation_out(complaint_selectors.get_complaint_for(request.auth, complaint_id))


@router.get(
    "/complaints/{complaint_id}",
    response={200: EvaluationOut, **READ_ERRORS},
    summary="Three-guarantees standing",
)
def evaluation(request, complaint_id: int = ComplaintId):
    """Where the complaint stands against each threshold: the 7-day, 60-day / 3,000 km, 三包 and
    repair-warranty periods on the day it was received; each replacement / refund condition
    (`met`, `close`, `not_met`, `unknown` — unknown is never reported as fine) with its numbers
    and legal citation; open repairs and the substitute car; the flags raised; the visits."""
    return _out(request, complaint_id)


@router.put(
    "/complaints/{complaint_id}/vehicle",
    response={200: EvaluationOut, **WRITE_ERRORS},
    summary="Set the vehicle's facts",
)
def vehicle_facts(request, payload: VehicleFactsIn, complaint_id: int = ComplaintId):
    """Invoice date, delivery date and a mileage reading of the complaint's vehicle. **Full
    replacement** (HTTP PUT): all four fields are set from the body, and a field left out is
    cleared just like one sent as null — send the current values of the fields you do not mean
    to change (read them from `GET /api/warranty/complaints/{complaint_id}`, `vehicle`). Open
    complaints about the vehicle are re-evaluated."""
    services.vehicle_facts_set(actor=request.auth, complaint_id=complaint_id, **payload.dict())
    return _out(request, complaint_id)


def _visit_kwargs(payload: VisitIn) -> dict:
    data = payload.dict()
    data["system"] = data["system"] or ""
    return data


@router.post(
    "/complaints/{complaint_id}/visits",
    response={201: EvaluationOut, **WRITE_ERRORS},
    summary="Record a new repair visit",
)
def add_visit(request, payload: VisitIn, complaint_id: int = ComplaintId):
    """A new workshop visit of the complaint's vehicle (201). Create only: a `repair_order` the
    store already has is never overwritten — 409 `repair_order_exists` on the field
    `repair_order` if it is this vehicle's visit (change it with
    `PUT /api/warranty/complaints/{complaint_id}/visits/{visit_id}`), 422 if it is another
    vehicle's."""
    try:
        services.repair_visit_record(
            actor=request.auth, complaint_id=complaint_id, **_visit_kwargs(payload)
        )
    except services.RepairOrderExists as exc:
        raise services.RepairOrderExists(
            _(
                "Repair order %(ro)s is already recorded (visit %(id)s): change it with "
                "PUT /api/warranty/complaints/%(complaint)s/visits/%(id)s."
            )
            % {"ro": payload.repair_order, "id": exc.visit_id, "complaint": complaint_id},
            field="repair_order",
            visit_id=exc.visit_id,
        ) from None
    return Status(201, _out(request, complaint_id))


@router.put(
    "/complaints/{complaint_id}/visits/{visit_id}",
    response={200: EvaluationOut, **WRITE_ERRORS},
    summary="Replace a repair visit",
)
def replace_visit(
    request, payload: VisitIn, complaint_id: int = ComplaintId, visit_id: int = VisitId
):
    """Full replacement of one visit of the complaint's vehicle (`visit_id` as listed in
    `visits`): every field takes the value sent, an omitted one its default (e.g. no
    `date_out`: still in the workshop; no `is_complaint_fault`: not this complaint's fault).
    The repair order number may change if no other visit of the store has the new one (else 422
    on `repair_order`). Nothing changed: nothing is written to the timeline."""
    services.repair_visit_record(
        actor=request.auth,
        complaint_id=complaint_id,
        visit_id=visit_id,
        **_visit_kwargs(payload),
    )
    return _out(request, complaint_id)


@router.delete(
    "/complaints/{complaint_id}/visits/{visit_id}",
    response={200: EvaluationOut, **WRITE_ERRORS},
    summary="Delete a repair visit",
)
def delete_visit(request, complaint_id: int = ComplaintId, visit_id: int = VisitId):
    services.repair_visit_delete(actor=request.auth, complaint_id=complaint_id, visit_id=visit_id)
    return _out(request, complaint_id)


@router.post(
    "/import",
    response={200: ImportReportOut, **WRITE_ERRORS, 422: ImportFailedOut},
    summary="Import repair orders (CSV / XLSX)",
)
def import_visits(
    request,
    file: File[UploadedFile],
    store: Form[str],
    dry_run: Form[bool] = False,
    complaint: Form[int | None] = None,
):
    """Multipart upload of a DMS export (.csv UTF-8 or GBK, or .xlsx) for the store with code
    `store`. Every row is checked first; with any problem nothing is stored and the answer is 422
    with one error per problem: `field` reads "row N, COLUMN" and the error also carries `row`
    and `column`; the full report is in `report`. `complaint` (an id) is the complaint that the
    是否本投诉故障 column refers to. At most `WEB_MAX_ROWS` (3,000) data rows per upload, checked
    before any row (422 `import_refused`); larger files: `complaintdesk warranty import-repairs
    FILE --store CODE` on the server."""
    target = next((s for s in stores_for(request.auth) if s.code == store), None)
    if target is None:
        raise NotFound()
    linked = None
    if complaint is not None:
        linked = complaint_selectors.get_complaint_for(request.auth, complaint)
        if linked.involved_staff.filter(pk=request.auth.pk).exists():
            raise ConflictOfInterest()
    if file.size is not None and file.size > MAX_UPLOAD:
        raise ValidationFailed(errors={"file": [_("At most 20 MB.")]})
    report = import_repairs_file(
        file.name or "upload.csv",
        file.read(),
        store=target,
        actor=request.auth,
        complaint=linked,
        dry_run=dry_run,
        max_rows=importing.WEB_MAX_ROWS,
    )
    body = report.as_dict()
    if report.ok:
        return body
    error = ValidationFailed(
        _("%(n)d problems in the file; nothing was imported.") % {"n": len(report.errors)}
    ).as_dict()
    error["errors"] = [
        {
            "field": _("row %(row)d, %(column)s") % {"row": e.row, "column": e.column},
            "message": e.message,
            "row": e.row,
            "column": e.column,
        }
        for e in report.errors
    ]
    error["report"] = body
    return Status(422, error)
