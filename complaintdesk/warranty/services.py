"""Writes: vehicle facts, repair visits, thresholds, and the legal-risk flags they lead to.

Every write that can change a complaint's standing ends with `vehicle_reevaluate`, in the same
transaction: each open complaint about the vehicle is evaluated and a newly met replacement /
refund condition is flagged once, written to the timeline and told to the store's CS director(s)
and GM(s) at once (SPEC §9). `legal_risk_sweep` does the same on a schedule for what changes with
time alone: an open repair's days, and complaints received about a vehicle with a history.
"""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from complaintdesk.complaints import workflow
from complaintdesk.complaints.choices import OPEN_STATES, EventKind
from complaintdesk.complaints.models import Complaint, ComplaintEvent, Vehicle
from complaintdesk.complaints.workflow import MAX_TEXT
from complaintdesk.core.errors import (
    ConflictOfInterest,
    DomainError,
    NotFound,
    NotPermitted,
    ValidationFailed,
)
from complaintdesk.notifications.choices import Kind as NotificationKind
from complaintdesk.org.models import CS_CENTER_ROLES, Role, Store
from complaintdesk.org.selectors import roles_in_store, users_with_roles, visible_store_ids
from complaintdesk.warranty import display, selectors
from complaintdesk.warranty.choices import (
    MAJOR_ASSEMBLIES,
    PERIOD_CODES,
    THRESHOLD_UNITS,
    System,
    ThresholdCode,
    VisitKind,
    VisitSource,
)
from complaintdesk.warranty.models import LegalRiskFlag, RepairVisit, WarrantyThreshold

# Who records repair history and vehicle facts: the CS center, who handles the complaint, and
# the after-sales people who hold the repair orders (service advisor, department manager,
# technical director), and store management.
EDIT_ROLES = CS_CENTER_ROLES | {
    Role.SERVICE_ADVISOR,
    Role.DEPARTMENT_MANAGER,
    Role.TECHNICAL_DIRECTOR,
    Role.GENERAL_MANAGER,
    Role.STORE_MANAGER,
}
# SPEC §9: a complaint at legal risk is flagged to the CS director and the GM.
TOLD_ROLES = (Role.CS_DIRECTOR, Role.GENERAL_MANAGER)
# The store's own threshold values are the CS director's to keep.
THRESHOLD_ROLES = frozenset({Role.CS_DIRECTOR})

EARLIEST_DATE = dt.date(1990, 1, 1)
MAX_KM = 2_000_000
# No threshold of the regulation comes near this (km, days, years, repairs); it keeps a typo from
# overflowing the database column.
MAX_THRESHOLD = 1_000_000


# ---------------------------------------------------------------------------------------------
# Access.


def can_edit(actor, complaint: Complaint) -> bool:
    return bool(roles_in_store(actor, complaint.store) & EDIT_ROLES) and not (
        complaint.involved_staff.filter(pk=actor.pk).exists()
    )


def _check_vehicle_conflict(actor, vehicle: Vehicle) -> None:
    """SPEC §1: the staff complained about never handle their own complaint — nor change the
    repair history or the facts that decide whether it is a three-guarantees case."""
    named = Complaint.objects.filter(
        vehicle=vehicle, status__in=OPEN_STATES, involved_staff=actor
    ).exists()
    if named:
        raise ConflictOfInterest()


def _writable_complaint(actor, complaint_id) -> Complaint:
    """The complaint, locked, if the actor may record warranty facts through it."""
    complaint = workflow.lock_complaint(complaint_id, actor)
    if complaint.involved_staff.filter(pk=actor.pk).exists():
        raise ConflictOfInterest()
    if not roles_in_store(actor, complaint.store) & EDIT_ROLES:
        raise NotPermitted(
            _("Only the customer service center, after-sales and management record repair history.")
        )
    if complaint.vehicle_id is None:
        raise ValidationFailed(
            _("This complaint names no vehicle: add its VIN or plate first."), field="vehicle"
        )
    vehicle = Vehicle.objects.select_for_update().get(pk=complaint.vehicle_id)
    _check_vehicle_conflict(actor, vehicle)
    complaint.vehicle = vehicle
    return complaint


def _timeline(complaint: Complaint, actor, comment: str, data: dict, now: dt.datetime) -> None:
    ComplaintEvent.objects.create(
        complaint=complaint,
        actor=actor,
        kind=EventKind.EDITED,
        data=data,
        comment=comment,
        created_at=now,
    )


def _stored_text():
    """Text written into the timeline and notifications is in the site's language (Chinese),
    whatever language the request that caused it speaks."""
    return translation.override(settings.LANGUAGE_CODE)


# ---------------------------------------------------------------------------------------------
# Vehicle facts.


def _check_date(errors: dict, name: str, value, today: dt.date, *, required=False) -> None:
    if value is None:
        if required:
            errors.setdefault(name, []).append(_("This field is required."))
        return
    if value > today:
        errors.setdefault(name, []).append(_("Cannot be in the future."))
    elif value < EARLIEST_DATE:
        errors.setdefault(name, []).append(
            _("Not before %(date)s.") % {"date": EARLIEST_DATE.isoformat()}
        )


def _check_km(errors: dict, name: str, value) -> None:
    if value is not None and not 0 <= value <= MAX_KM:
        errors.setdefault(name, []).append(
            _("Must be between 0 and %(n)s km.") % {"n": f"{MAX_KM:,}"}
        )


def vehicle_facts_set(
    *,
    actor,
    complaint_id: int,
    invoice_date: dt.date | None,
    delivery_date: dt.date | None,
    mileage_km: int | None,
    mileage_read_on: dt.date | None,
    now: dt.datetime | None = None,
) -> Vehicle:
    """Record the vehicle's invoice / delivery date and a mileage reading through one of its
    complaints (written on that complaint's timeline), then re-evaluate its open complaints."""
    now = now or timezone.now()
    with transaction.atomic():
        complaint = _writable_complaint(actor, complaint_id)
        today = selectors.store_today(complaint.store, now)
        errors: dict = {}
        _check_date(errors, "invoice_date", invoice_date, today)
        _check_date(errors, "delivery_date", delivery_date, today)
        _check_date(errors, "mileage_read_on", mileage_read_on, today)
        _check_km(errors, "mileage_km", mileage_km)
        if mileage_km is not None and mileage_read_on is None:
            errors.setdefault("mileage_read_on", []).append(
                _("Say on which day the mileage was read.")
            )
        if mileage_km is None and mileage_read_on is not None:
            errors.setdefault("mileage_km", []).append(_("This field is required."))
        if errors:
            raise ValidationFailed(errors=errors)
        vehicle = complaint.vehicle
        new = {
            "invoice_date": invoice_date,
            "delivery_date": delivery_date,
            "mileage_km": mileage_km,
            "mileage_read_on": mileage_read_on,
        }
        changes = {
            name: [_iso(getattr(vehicle, name)), _iso(value)]
            for name, value in new.items()
            if getattr(vehicle, name) != value
        }
        if changes:
            Vehicle.objects.filter(pk=vehicle.pk).update(**new)
            for name, value in new.items():
                setattr(vehicle, name, value)
            with _stored_text():
                comment = _("Three-guarantees facts of the vehicle changed: %(changes)s") % {
                    "changes": "; ".join(
                        f"{Vehicle._meta.get_field(n).verbose_name} {b or '—'} → {a or '—'}"
                        for n, (b, a) in changes.items()
                    )
                }
            _timeline(complaint, actor, comment, {"vehicle_facts": changes}, now)
            vehicle_reevaluate(vehicle=vehicle, now=now)
    return vehicle


def _iso(value):
    return value.isoformat() if isinstance(value, dt.date) else value


# ---------------------------------------------------------------------------------------------
# Repair visits.

_PART_SPLIT = re.compile(r"[,，;；、/\n\r|]+")
# Quantities and counts written after a part: "刹车片 x2", "刹车片*1", "刹车片（2件）", "2x pads".
_QUANTITY = re.compile(
    r"(\s*[x×*]\s*\d+\s*$)|(\s*[(（]\s*\d+\s*[个件套只条片]?\s*[)）]\s*$)|(^\s*\d+\s*[x×*]\s*)|(\s+\d+\s*[个件套只条片]\s*$)",
    re.IGNORECASE,
)


def normalize_parts(text: str) -> list[str]:
    """The parts of a free "parts replaced" text as comparable names: split at commas, 、, ;
    and line breaks; quantities, spaces and case dropped; duplicates once. "前刹车片 x2、
    刹车盘" → ["前刹车片", "刹车盘"]."""
    result: list[str] = []
    for raw in _PART_SPLIT.split(text or ""):
        name = _QUANTITY.sub("", raw.strip())
        name = re.sub(r"\s+", "", name).lower()
        if name and name not in result:
            result.append(name)
    return result


def clean_visit(data: dict, *, today: dt.date) -> tuple[dict, dict]:
    """Validate one visit's fields (from a form, the API or an import row). Returns the cleaned
    values and {field: [messages]}."""
    errors: dict = {}
    clean = dict(data)
    ro = (data.get("repair_order") or "").strip()
    if not ro:
        errors.setdefault("repair_order", []).append(_("This field is required."))
    elif len(ro) > 40:
        errors.setdefault("repair_order", []).append(_("At most %(n)s characters.") % {"n": 40})
    clean["repair_order"] = ro
    date_in, date_out = data.get("date_in"), data.get("date_out")
    _check_date(errors, "date_in", date_in, today, required=True)
    _check_date(errors, "date_out", date_out, today)
    if date_in and date_out and date_out < date_in:
        errors.setdefault("date_out", []).append(_("The car cannot leave before it came in."))
    _check_km(errors, "mileage_km", data.get("mileage_km"))
    kind = data.get("kind") or VisitKind.QUALITY
    if kind not in VisitKind.values:
        errors.setdefault("kind", []).append(
            _("Unknown value; expected one of: %(values)s")
            % {"values": ", ".join(VisitKind.values)}
        )
    clean["kind"] = kind
    system = data.get("system") or ""
    if system and system not in System.values:
        errors.setdefault("system", []).append(
            _("Unknown value; expected one of: %(values)s") % {"values": ", ".join(System.values)}
        )
    clean["system"] = system
    if data.get("assembly_replaced") and system not in MAJOR_ASSEMBLIES:
        errors.setdefault("assembly_replaced", []).append(
            _(
                "A whole assembly is the engine, gearbox, traction battery or drive motor: choose that system."
            )
        )
    for name in ("fault_description", "parts_replaced"):
        clean[name] = (data.get(name) or "").strip()
        if len(clean[name]) > MAX_TEXT:
            errors.setdefault(name, []).append(_("Too long."))
    excluded = data.get("excluded_days") or 0
    if date_in and not errors.get("date_in") and not errors.get("date_out"):
        days = ((date_out or today) - date_in).days + 1
        if excluded < 0 or excluded > days:
            errors.setdefault("excluded_days", []).append(
                _("Between 0 and the %(n)s days of the visit.") % {"n": days}
            )
    clean["excluded_days"] = excluded
    clean["assembly_replaced"] = bool(data.get("assembly_replaced"))
    clean["serious_safety"] = bool(data.get("serious_safety"))
    clean["parts"] = normalize_parts(clean["parts_replaced"])
    return clean, errors


VISIT_FIELDS = (
    "date_in",
    "date_out",
    "mileage_km",
    "kind",
    "system",
    "fault_description",
    "parts_replaced",
    "parts",
    "assembly_replaced",
    "serious_safety",
    "excluded_days",
)


class RepairOrderExists(DomainError):
    """A new visit names a repair order number the store already has: correct that visit
    instead (by its id) — a second record must never silently replace the first."""

    code = "repair_order_exists"
    http_status = 409
    default_message = gettext_lazy("This repair order is already recorded.")

    def __init__(self, message=None, *, visit_id: int | None = None, **kwargs):
        self.visit_id = visit_id
        super().__init__(message, **kwargs)


def _visit_snapshot(visit: RepairVisit, fault: bool) -> dict:
    return {
        "repair_order": visit.repair_order,
        **{name: getattr(visit, name) for name in VISIT_FIELDS},
        "is_complaint_fault": fault,
    }


def repair_visit_record(
    *,
    actor,
    complaint_id: int,
    repair_order: str,
    date_in: dt.date | None,
    date_out: dt.date | None = None,
    mileage_km: int | None = None,
    kind: str = VisitKind.QUALITY,
    system: str = "",
    fault_description: str = "",
    parts_replaced: str = "",
    assembly_replaced: bool = False,
    serious_safety: bool = False,
    excluded_days: int = 0,
    is_complaint_fault: bool = False,
    visit_id: int | None = None,
    now: dt.datetime | None = None,
) -> tuple[RepairVisit, bool]:
    """Record a visit of the complaint's vehicle by hand. Returns (visit, created).

    Without `visit_id` a new visit is created: a repair order number the store already has is
    refused (RepairOrderExists on `repair_order`, or a field error if it is another vehicle's),
    never overwritten. With `visit_id` that visit (of this complaint's vehicle, else NotFound)
    gets all the given values — a correction, its repair order number included as long as no
    other visit of the store has the new number. The timeline is written, and the vehicle's
    complaints re-evaluated, only when something changed."""
    now = now or timezone.now()
    with transaction.atomic():
        complaint = _writable_complaint(actor, complaint_id)
        today = selectors.store_today(complaint.store, now)
        clean, errors = clean_visit(
            {
                "repair_order": repair_order,
                "date_in": date_in,
                "date_out": date_out,
                "mileage_km": mileage_km,
                "kind": kind,
                "system": system,
                "fault_description": fault_description,
                "parts_replaced": parts_replaced,
                "assembly_replaced": assembly_replaced,
                "serious_safety": serious_safety,
                "excluded_days": excluded_days,
            },
            today=today,
        )
        visit = _visit_of(complaint, visit_id) if visit_id is not None else None
        same_number = (
            RepairVisit.objects.select_for_update()
            .filter(store=complaint.store, repair_order=clean["repair_order"])
            .exclude(pk=visit.pk if visit is not None else None)
            .first()
            if clean["repair_order"]
            else None
        )
        if same_number is not None and (
            visit is not None or same_number.vehicle_id != complaint.vehicle_id
        ):
            errors.setdefault("repair_order", []).append(
                _("This repair order belongs to another vehicle.")
                if same_number.vehicle_id != complaint.vehicle_id
                else _("Repair order %(ro)s is already recorded for another visit.")
                % {"ro": same_number.repair_order}
            )
        if errors:
            raise ValidationFailed(errors=errors)
        if same_number is not None:
            raise RepairOrderExists(
                _("Repair order %(ro)s is already recorded: correct that visit instead.")
                % {"ro": same_number.repair_order},
                field="repair_order",
                visit_id=same_number.pk,
            )
        created = visit is None
        if created:
            visit = RepairVisit(
                store=complaint.store,
                vehicle=complaint.vehicle,
                source=VisitSource.MANUAL,
                created_by=actor,
            )
            before = None
        else:
            before = _visit_snapshot(visit, visit.fault_of.filter(pk=complaint.pk).exists())
        visit.repair_order = clean["repair_order"]
        for name in VISIT_FIELDS:
            setattr(visit, name, clean[name])
        after = _visit_snapshot(visit, bool(is_complaint_fault))
        if before == after:
            return visit, False
        visit.save()
        if is_complaint_fault:
            visit.fault_of.add(complaint)
        else:
            visit.fault_of.remove(complaint)
        with _stored_text():
            if created:
                comment = _("Repair visit %(ro)s recorded.") % {"ro": visit.repair_order}
            elif before["repair_order"] != visit.repair_order:
                comment = _("Repair visit %(old)s updated, now repair order %(ro)s.") % {
                    "old": before["repair_order"],
                    "ro": visit.repair_order,
                }
            else:
                comment = _("Repair visit %(ro)s updated.") % {"ro": visit.repair_order}
        data = {"repair_visit": visit.pk, "repair_order": visit.repair_order, "created": created}
        if before is not None:
            data["changed"] = sorted(k for k in after if before[k] != after[k])
        _timeline(complaint, actor, comment, data, now)
        vehicle_reevaluate(vehicle=complaint.vehicle, now=now)
    return visit, created


def import_timeline(
    *, complaint: Complaint, actor, file_name: str, tally: dict, now: dt.datetime
) -> None:
    """One timeline entry on a complaint for a DMS import that changed its vehicle's visits or
    their link to its fault (warranty.importing, in the import's transaction): the counts of
    visits created, updated, linked and unlinked."""
    parts = []
    with _stored_text():
        for key, text in (
            ("created", _("%(n)d new")),
            ("updated", _("%(n)d updated")),
            ("linked", _("%(n)d marked as a repair of this complaint's fault")),
            ("unlinked", _("%(n)d no longer counted as a repair of this complaint's fault")),
        ):
            if tally.get(key):
                parts.append(text % {"n": tally[key]})
        if not parts:
            return
        comment = _("Repair visits imported from %(file)s: %(summary)s.") % {
            "file": file_name,
            "summary": "，".join(parts),
        }
    _timeline(complaint, actor, comment, {"repair_import": file_name, **tally}, now)


def _visit_of(complaint: Complaint, visit_id) -> RepairVisit:
    visit = (
        RepairVisit.objects.select_for_update()
        .filter(pk=visit_id, vehicle_id=complaint.vehicle_id)
        .first()
    )
    if visit is None:
        raise NotFound()
    return visit


def repair_visit_set_fault(
    *, actor, complaint_id: int, visit_id: int, is_complaint_fault: bool, now=None
) -> RepairVisit:
    """Mark whether a visit repaired this complaint's fault (Art. 24(4): the same problem)."""
    now = now or timezone.now()
    with transaction.atomic():
        complaint = _writable_complaint(actor, complaint_id)
        visit = _visit_of(complaint, visit_id)
        before = visit.fault_of.filter(pk=complaint.pk).exists()
        if before != is_complaint_fault:
            if is_complaint_fault:
                visit.fault_of.add(complaint)
            else:
                visit.fault_of.remove(complaint)
            with _stored_text():
                comment = (
                    _("Repair visit %(ro)s marked as a repair of this complaint's fault.")
                    if is_complaint_fault
                    else _(
                        "Repair visit %(ro)s no longer counted as a repair of this complaint's fault."
                    )
                ) % {"ro": visit.repair_order}
            _timeline(
                complaint,
                actor,
                comment,
                {"repair_visit": visit.pk, "is_complaint_fault": is_complaint_fault},
                now,
            )
            vehicle_reevaluate(vehicle=complaint.vehicle, now=now)
    return visit


def repair_visit_delete(*, actor, complaint_id: int, visit_id: int, now=None) -> None:
    """Remove a visit recorded in error (written on the complaint's timeline)."""
    now = now or timezone.now()
    with transaction.atomic():
        complaint = _writable_complaint(actor, complaint_id)
        visit = _visit_of(complaint, visit_id)
        ro, pk = visit.repair_order, visit.pk
        visit.delete()
        with _stored_text():
            comment = _("Repair visit %(ro)s deleted.") % {"ro": ro}
        _timeline(complaint, actor, comment, {"repair_visit": pk, "deleted": True}, now)
        vehicle_reevaluate(vehicle=complaint.vehicle, now=now)


# ---------------------------------------------------------------------------------------------
# Legal-risk flags.


def _jsonable(value):
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return _iso(value)


def complaint_legal_risk_check(
    *, complaint: Complaint, now: dt.datetime | None = None, evaluation=None
) -> list[LegalRiskFlag]:
    """Flag each replacement / refund condition the open complaint meets, once: the flag row,
    a LEGAL_RISK event and an urgent notification to the store's CS director(s) and GM(s)
    (SPEC §9), all in the caller's transaction. A condition flagged before is not told again."""
    if complaint.status not in OPEN_STATES:
        return []
    now = now or timezone.now()
    if evaluation is None:
        evaluation = selectors.evaluate_complaint(complaint, now=now)
    if evaluation is None or not evaluation.met:
        return []
    flagged = set(
        LegalRiskFlag.objects.filter(complaint=complaint).values_list("condition", flat=True)
    )
    raised = []
    recipients = None
    for condition in evaluation.met:
        if condition.code in flagged:
            continue
        numbers = _jsonable(condition.numbers())
        # The unique constraint decides between two concurrent checks; the loser creates nothing.
        with transaction.atomic():
            flag, created = LegalRiskFlag.objects.get_or_create(
                complaint=complaint,
                condition=condition.code,
                defaults={
                    "citation": condition.citation[:300],
                    "numbers": numbers,
                    "raised_at": now,
                },
            )
        if not created:
            continue
        raised.append(flag)
        with _stored_text():
            label = display.condition_label(condition.code)
            detail = display.condition_text(condition)
            title = _("三包 legal risk: %(number)s %(condition)s") % {
                "number": complaint.number,
                "condition": label,
            }
            body = _(
                "%(detail)s. Rule: %(citation)s. The customer may ask for a replacement car or a "
                "refund: answer within 10 and complete within 20 working days. Complaint: %(summary)s"
            ) % {"detail": detail, "citation": condition.citation, "summary": complaint.summary}
        ComplaintEvent.objects.create(
            complaint=complaint,
            actor=None,
            kind=EventKind.LEGAL_RISK,
            data={"condition": condition.code, "citation": condition.citation, **numbers},
            comment=f"{label}: {detail}（{condition.citation}）",
            created_at=now,
        )
        if recipients is None:
            recipients = list(users_with_roles(complaint.store, TOLD_ROLES))
        from complaintdesk.notifications.services import notify

        notify(
            recipients=recipients,
            store=complaint.store,
            kind=NotificationKind.LEGAL_RISK,
            title=title,
            body=body,
            complaint=complaint,
            urgent=True,
            dedupe_key=f"legal-risk:{complaint.pk}:{condition.code}",
            now=now,
        )
    return raised


def vehicle_reevaluate(*, vehicle: Vehicle, now: dt.datetime | None = None) -> list[LegalRiskFlag]:
    """Re-evaluate every open complaint about the vehicle (after its facts or visits changed)."""
    now = now or timezone.now()
    raised = []
    visits = selectors.vehicle_visits(vehicle)
    complaints = Complaint.objects.filter(vehicle=vehicle, status__in=OPEN_STATES).select_related(
        "store", "vehicle"
    )
    for complaint in complaints:
        evaluation = selectors.evaluate_complaint(complaint, now=now, visits=visits)
        raised += complaint_legal_risk_check(complaint=complaint, now=now, evaluation=evaluation)
    return raised


def legal_risk_sweep(*, now: dt.datetime | None = None, store: Store | None = None) -> int:
    """What changes with time alone: an open repair's days grow past the cumulative limit, and a
    complaint arrives about a vehicle whose history already meets a condition. Every open
    complaint about a vehicle with repair history is checked (no condition can be met without
    one); safe to run twice. Returns the number of flags raised."""
    now = now or timezone.now()
    complaints = (
        Complaint.objects.filter(status__in=OPEN_STATES, vehicle__repair_visits__isnull=False)
        .select_related("store", "vehicle")
        .distinct()
        .order_by("pk")
    )
    if store is not None:
        complaints = complaints.filter(store=store)
    raised = 0
    for complaint in complaints:
        with transaction.atomic():
            raised += len(complaint_legal_risk_check(complaint=complaint, now=now))
    return raised


# ---------------------------------------------------------------------------------------------
# Thresholds.


def _generous_enough(code: str, value: int, law: int | None) -> bool:
    """A store may promise longer periods and act on fewer repairs than the law, never less."""
    if law is None:
        return True
    return value >= law if code in PERIOD_CODES else value <= law


def _reevaluate_store(store: Store | None, now) -> None:
    stores = [store] if store is not None else list(Store.objects.all())
    for s in stores:
        legal_risk_sweep(now=now, store=s)


def threshold_set(
    *,
    actor,
    store: Store,
    code: str,
    value: int,
    effective_from: dt.date,
    note: str = "",
    now: dt.datetime | None = None,
) -> WarrantyThreshold:
    """The store's own value for one threshold (its CS director's to keep), in force from a date:
    e.g. a brand that promises a 3-year 三包 period. Open complaints are re-evaluated."""
    now = now or timezone.now()
    if store.pk not in visible_store_ids(actor):
        raise NotFound()
    if not roles_in_store(actor, store) & THRESHOLD_ROLES:
        raise NotPermitted(_("Only the customer service director sets the store's thresholds."))
    errors: dict = {}
    if code not in ThresholdCode.values:
        errors["code"] = [
            _("Unknown value; expected one of: %(values)s")
            % {"values": ", ".join(ThresholdCode.values)}
        ]
    if value is None or value < 1:
        errors.setdefault("value", []).append(_("Must be at least %(n)s.") % {"n": 1})
    elif value > MAX_THRESHOLD:
        errors.setdefault("value", []).append(_("At most %(n)s.") % {"n": f"{MAX_THRESHOLD:,}"})
    if effective_from is None:
        errors.setdefault("effective_from", []).append(_("This field is required."))
    if len(note or "") > MAX_TEXT:
        errors.setdefault("note", []).append(_("Too long."))
    if not errors:
        law = selectors.limits_for(None, effective_from).get(code)
        if not _generous_enough(code, value, law.value if law else None):
            errors["value"] = [
                (
                    _("At least the regulation's %(n)s: a store may promise more, never less.")
                    if code in PERIOD_CODES
                    else _("At most the regulation's %(n)s: a store may act sooner, never later.")
                )
                % {"n": law.value}
            ]
    if errors:
        raise ValidationFailed(errors=errors)
    with transaction.atomic():
        row, _created = WarrantyThreshold.objects.update_or_create(
            store=store,
            code=code,
            effective_from=effective_from,
            defaults={
                "value": value,
                "unit": THRESHOLD_UNITS[code],
                "citation": _("%(store)s's own promise (more generous than the regulation)")
                % {"store": store.name},
                "note": note or "",
                "updated_by": actor,
            },
        )
        _reevaluate_store(store, now)
    return row


def threshold_remove(*, actor, threshold_id: int, now: dt.datetime | None = None) -> None:
    """Drop a store's own value: the regulation's applies again."""
    now = now or timezone.now()
    row = (
        WarrantyThreshold.objects.filter(pk=threshold_id, store_id__in=visible_store_ids(actor))
        .select_related("store")
        .first()
    )
    if row is None:
        raise NotFound()
    if not roles_in_store(actor, row.store) & THRESHOLD_ROLES:
        raise NotPermitted(_("Only the customer service director sets the store's thresholds."))
    with transaction.atomic():
        row.delete()
        _reevaluate_store(row.store, now)


def threshold_save_national(
    *, actor, threshold: WarrantyThreshold, now: dt.datetime | None = None
) -> WarrantyThreshold:
    """Save a row of the law (Django admin, superusers only): a change of the regulation is a
    data change (SPEC §9). Every store's open complaints are re-evaluated."""
    now = now or timezone.now()
    if not getattr(actor, "is_superuser", False):
        raise NotPermitted(_("Only an administrator changes the regulation's values."))
    threshold.full_clean()
    threshold.updated_by = actor
    with transaction.atomic():
        threshold.save()
        _reevaluate_store(threshold.store, now)
    return threshold


__all__ = [
    "EDIT_ROLES",
    "RepairOrderExists",
    "clean_visit",
    "complaint_legal_risk_check",
    "legal_risk_sweep",
    "normalize_parts",
    "repair_visit_delete",
    "repair_visit_record",
    "repair_visit_set_fault",
    "threshold_remove",
    "threshold_save_national",
    "threshold_set",
    "vehicle_facts_set",
    "vehicle_reevaluate",
]
