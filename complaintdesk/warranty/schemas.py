"""Request and response bodies of the three-guarantees API, and the presenter that fills them."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Schema
from pydantic import Field

from complaintdesk.complaints.schemas import In, Text, choice
from complaintdesk.warranty import display, selectors
from complaintdesk.warranty.choices import (
    ConditionCode,
    Position,
    Standing,
    System,
    VisitKind,
    VisitSource,
)
from complaintdesk.warranty.models import LegalRiskFlag
from complaintdesk.warranty.services import MAX_KM


class ChoiceOut(Schema):
    code: str
    label: str


class VehicleFactsIn(In):
    """The vehicle's three-guarantees facts, all replaced at once (PUT): a field left out is
    cleared like null."""

    invoice_date: dt.date | None = Field(None, description="Purchase invoice date (购车发票日期).")
    delivery_date: dt.date | None = Field(
        None, description="Delivery date; the periods run from it when it differs (Art. 18)."
    )
    mileage_km: Annotated[int, Field(ge=0, le=MAX_KM)] | None = None
    mileage_read_on: dt.date | None = Field(None, description="Day the mileage was read.")


class VisitIn(In):
    repair_order: Annotated[Text, Field(min_length=1, max_length=40)]
    date_in: dt.date
    date_out: dt.date | None = Field(None, description="Empty while the car is in the workshop.")
    mileage_km: Annotated[int, Field(ge=0, le=MAX_KM)] | None = None
    kind: VisitKind = VisitKind.QUALITY
    system: System | None = None
    fault_description: Annotated[Text, Field(max_length=20_000)] = ""
    parts_replaced: Annotated[Text, Field(max_length=20_000)] = ""
    assembly_replaced: bool = False
    serious_safety: bool = False
    excluded_days: Annotated[int, Field(ge=0, le=3660)] = 0
    is_complaint_fault: bool = Field(False, description="A repair of this complaint's fault.")


class VehicleOut(Schema):
    id: int
    vin: str
    plate: str
    invoice_date: dt.date | None
    delivery_date: dt.date | None
    mileage_km: int | None
    mileage_read_on: dt.date | None


class VisitOut(Schema):
    id: int
    repair_order: str
    date_in: dt.date
    date_out: dt.date | None
    days: int
    mileage_km: int | None
    kind: ChoiceOut
    system: ChoiceOut | None
    fault_description: str
    parts_replaced: str
    parts: list[str]
    assembly_replaced: bool
    serious_safety: bool
    excluded_days: int
    is_complaint_fault: bool
    source: ChoiceOut


class PeriodOut(Schema):
    code: str
    label: str
    position: ChoiceOut
    reason: str
    day: int | None
    ends_on: dt.date | None
    days_left: int | None
    km_low: int | None
    km_high: int | None
    km_limit: int | None
    text: str


class ConditionOut(Schema):
    code: str
    label: str
    standing: ChoiceOut
    count: int | None
    limit: int | None
    citation: str
    reason: str
    repair_orders: list[str]
    detail: dict
    text: str


class OpenRepairOut(Schema):
    repair_order: str
    date_in: dt.date
    day: int
    limit: int | None
    substitute_from: dt.date | None
    standing: ChoiceOut
    citation: str
    text: str


class FlagOut(Schema):
    condition: ChoiceOut
    citation: str
    numbers: dict
    raised_at: dt.datetime


class EvaluationOut(Schema):
    complaint_id: int
    number: str
    vehicle: VehicleOut | None
    reference_date: dt.date | None
    start: dt.date | None
    start_source: str
    standing: ChoiceOut | None
    periods: list[PeriodOut]
    conditions: list[ConditionOut]
    conditions_met: list[str]
    open_repairs: list[OpenRepairOut]
    repair_days: int | None
    same_problem_repairs: int | None
    safety_repairs: int | None
    unknowns: list[str]
    notes: list[str]
    flags: list[FlagOut]
    visits: list[VisitOut]


class ImportErrorOut(Schema):
    row: int
    column: str
    message: str


class ImportReportOut(Schema):
    file_name: str
    ok: bool
    dry_run: bool
    rows_total: int
    created: int
    updated: int
    unchanged: int
    vehicles_created: int
    flags_raised: int
    errors: list[ImportErrorOut]
    ignored_columns: list[str]
    notes: list[str]
    encoding: str


class ImportProblemOut(Schema):
    field: str
    message: str
    row: int | None = None
    column: str | None = None


class ImportFailedOut(Schema):
    """422: the file could not be read (no `report`), or rows have problems (nothing stored)."""

    code: str
    detail: str
    errors: list[ImportProblemOut]
    report: ImportReportOut | None = None


def _jsonable(value):
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value.isoformat() if isinstance(value, dt.date) else value


def evaluation_out(complaint) -> dict:
    """The complaint's standing against SPEC §9, its vehicle's facts and visits, its flags."""
    vehicle = complaint.vehicle
    visits = selectors.vehicle_visits(vehicle)
    evaluation = selectors.evaluate_complaint(complaint, visits=visits)
    faults = selectors.fault_visit_ids(complaint)
    flags = [
        {
            "condition": choice(ConditionCode, f.condition),
            "citation": f.citation,
            "numbers": f.numbers,
            "raised_at": f.raised_at,
        }
        for f in LegalRiskFlag.objects.filter(complaint=complaint)
    ]
    base = {
        "complaint_id": complaint.pk,
        "number": complaint.number,
        "flags": flags,
        "vehicle": None,
        "reference_date": selectors.reference_date(complaint),
        "start": None,
        "start_source": "",
        "standing": None,
        "periods": [],
        "conditions": [],
        "conditions_met": [],
        "open_repairs": [],
        "repair_days": None,
        "same_problem_repairs": None,
        "safety_repairs": None,
        "unknowns": [],
        "notes": [],
        "visits": [],
    }
    if evaluation is None:
        return base
    today = evaluation.today
    return {
        **base,
        "vehicle": {
            "id": vehicle.pk,
            "vin": vehicle.vin,
            "plate": vehicle.plate,
            "invoice_date": vehicle.invoice_date,
            "delivery_date": vehicle.delivery_date,
            "mileage_km": vehicle.mileage_km,
            "mileage_read_on": vehicle.mileage_read_on,
        },
        "start": evaluation.start,
        "start_source": evaluation.start_source,
        "standing": choice(Standing, evaluation.standing),
        "periods": [
            {
                "code": code,
                "label": display.period_label(code),
                "position": choice(Position, p.position),
                "reason": p.reason,
                "day": p.day,
                "ends_on": p.ends_on,
                "days_left": p.days_left,
                "km_low": p.km_low,
                "km_high": p.km_high,
                "km_limit": p.km_limit,
                "text": display.period_text(p),
            }
            for code, p in evaluation.periods.items()
        ],
        "conditions": [
            {
                "code": c.code,
                "label": display.condition_label(c.code),
                "standing": choice(Standing, c.standing),
                "count": c.count,
                "limit": c.limit,
                "citation": c.citation,
                "reason": c.reason,
                "repair_orders": list(c.repair_orders),
                "detail": _jsonable(c.detail),
                "text": display.condition_text(c),
            }
            for c in evaluation.conditions
        ],
        "conditions_met": [c.code for c in evaluation.met],
        "open_repairs": [
            {
                "repair_order": r.repair_order,
                "date_in": r.date_in,
                "day": r.day,
                "limit": r.limit,
                "substitute_from": r.substitute_from,
                "standing": choice(Standing, r.standing),
                "citation": r.citation,
                "text": display.open_repair_text(r),
            }
            for r in evaluation.open_repairs
        ],
        "repair_days": evaluation.repair_days,
        "same_problem_repairs": evaluation.same_problem_repairs,
        "safety_repairs": evaluation.safety_repairs,
        "unknowns": [display.unknown_text(code, p) for code, p in evaluation.unknowns],
        "notes": [display.note_text(code, p) for code, p in evaluation.notes],
        "visits": [
            {
                "id": v.pk,
                "repair_order": v.repair_order,
                "date_in": v.date_in,
                "date_out": v.date_out,
                "days": ((v.date_out or today) - v.date_in).days + 1,
                "mileage_km": v.mileage_km,
                "kind": choice(VisitKind, v.kind),
                "system": choice(System, v.system),
                "fault_description": v.fault_description,
                "parts_replaced": v.parts_replaced,
                "parts": v.parts or [],
                "assembly_replaced": v.assembly_replaced,
                "serious_safety": v.serious_safety,
                "excluded_days": v.excluded_days,
                "is_complaint_fault": v.pk in faults,
                "source": choice(VisitSource, v.source),
            }
            for v in visits
        ],
    }
