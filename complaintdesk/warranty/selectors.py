"""Reads: the thresholds in force, a vehicle's facts and visits as plain data, and a complaint's
evaluation. Every complaint read starts from complaints.selectors.get_complaint_for (store scope:
another store's complaint is not found)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from complaintdesk.complaints.models import Complaint, Vehicle
from complaintdesk.org.models import Store
from complaintdesk.warranty import rules
from complaintdesk.warranty.choices import ThresholdCode
from complaintdesk.warranty.models import RepairVisit, WarrantyThreshold


def limits_for(store: Store | None, on: dt.date) -> rules.Limits:
    """The thresholds for a vehicle whose three-guarantees period starts on `on`: per code the
    row in force that day (the latest `effective_from` on or before it), the store's own row
    before the law's. A date before every row takes the earliest row (the 2022 rule is the
    oldest loaded). A code without any row is missing: the rules then say "cannot tell"."""
    rows = WarrantyThreshold.objects.filter(Q(store__isnull=True) | Q(store=store)).order_by(
        "effective_from"
    )
    national: dict[str, list[WarrantyThreshold]] = {}
    own: dict[str, list[WarrantyThreshold]] = {}
    for row in rows:
        (own if row.store_id else national).setdefault(row.code, []).append(row)

    def pick(candidates: list[WarrantyThreshold]) -> WarrantyThreshold | None:
        in_force = [r for r in candidates if r.effective_from <= on]
        return in_force[-1] if in_force else (candidates[0] if candidates else None)

    limits: rules.Limits = {}
    for code in ThresholdCode.values:
        store_row = pick([r for r in own.get(code, []) if r.effective_from <= on])
        row = store_row or pick(national.get(code, []))
        if row is not None:
            limits[code] = rules.Limit(
                code, row.value, row.citation, store_value=store_row is not None
            )
    return limits


def vehicle_facts(vehicle: Vehicle) -> rules.VehicleFacts:
    return rules.VehicleFacts(
        invoice_date=vehicle.invoice_date,
        delivery_date=vehicle.delivery_date,
        mileage_km=vehicle.mileage_km,
        mileage_read_on=vehicle.mileage_read_on,
    )


def as_rule_visit(visit: RepairVisit, fault_ids: set[int]) -> rules.Visit:
    return rules.Visit(
        id=visit.pk,
        repair_order=visit.repair_order,
        date_in=visit.date_in,
        date_out=visit.date_out,
        mileage_km=visit.mileage_km,
        kind=visit.kind,
        system=visit.system,
        parts=tuple(visit.parts or ()),
        assembly_replaced=visit.assembly_replaced,
        serious_safety=visit.serious_safety,
        is_complaint_fault=visit.pk in fault_ids,
        excluded_days=visit.excluded_days,
    )


def vehicle_visits(vehicle: Vehicle | None) -> list[RepairVisit]:
    if vehicle is None:
        return []
    return list(vehicle.repair_visits.select_related("created_by").order_by("date_in", "id"))


def fault_visit_ids(complaint: Complaint) -> set[int]:
    return set(
        RepairVisit.fault_of.through.objects.filter(complaint_id=complaint.pk).values_list(
            "repairvisit_id", flat=True
        )
    )


def other_complaint_faults(user, complaint: Complaint, visits) -> dict[int, list[Complaint]]:
    """visit id → the other complaints (of those the user may see) whose fault the visit was
    marked as: a repeat complaint about the same fault shows the handler which visits to mark."""
    through = RepairVisit.fault_of.through
    rows = (
        through.objects.filter(repairvisit_id__in=[v.pk for v in visits])
        .exclude(complaint_id=complaint.pk)
        .filter(complaint__in=Complaint.objects.visible_to(user))
        .select_related("complaint")
        .order_by("complaint__received_at", "complaint_id")
    )
    found: dict[int, list[Complaint]] = {}
    for row in rows:
        found.setdefault(row.repairvisit_id, []).append(row.complaint)
    return found


def reference_date(complaint: Complaint) -> dt.date:
    """The complaint's date of receipt in its store's time zone."""
    return timezone.localtime(complaint.received_at, complaint.store.tz).date()


def store_today(store: Store, now: dt.datetime | None = None) -> dt.date:
    return timezone.localtime(now or timezone.now(), store.tz).date()


def evaluate_complaint(
    complaint: Complaint, *, now: dt.datetime | None = None, visits: list[RepairVisit] | None = None
) -> rules.Evaluation | None:
    """The complaint's standing against SPEC §9, or None when it names no vehicle."""
    vehicle = complaint.vehicle
    if vehicle is None:
        return None
    if visits is None:
        visits = vehicle_visits(vehicle)
    facts = vehicle_facts(vehicle)
    reference = reference_date(complaint)
    start, _source = rules.warranty_start(facts)
    faults = fault_visit_ids(complaint)
    return rules.evaluate(
        facts,
        [as_rule_visit(v, faults) for v in visits],
        limits_for(complaint.store, start or reference),
        reference=reference,
        today=store_today(complaint.store, now),
    )


def thresholds_table(store: Store | None) -> list[dict]:
    """Every code with the law's rows and the store's own rows, for the thresholds page."""
    rows = WarrantyThreshold.objects.filter(Q(store__isnull=True) | Q(store=store)).order_by(
        "-effective_from"
    )
    table = {
        code: {"code": code, "label": label, "national": [], "own": []}
        for code, label in ThresholdCode.choices
    }
    for row in rows:
        table[row.code]["own" if row.store_id else "national"].append(row)
    return list(table.values())
