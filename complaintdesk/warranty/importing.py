"""Import repair visits from the dealer management system (DMS): CSV (UTF-8 or GBK) or XLSX with
Chinese or English headers (`complaintdesk warranty import-repairs FILE --store CODE`, the upload
page, POST /api/warranty/import).

Reading (encodings, BOM, Excel serial dates, merged cells) is complaints.importing's. Every row is
checked first; if any row has a problem the report lists each one by row number (as a spreadsheet
shows it: the header is row 1) and the file's column name, and nothing is stored. Otherwise all
rows are written in one transaction and the open complaints of every vehicle touched are
re-evaluated (legal-risk flags, SPEC §9).

Decisions:
- A vehicle is matched by VIN within the store, else by plate among the store's vehicles without a
  VIN (the VIN is then filled in): the first row that names the plate gives that vehicle its VIN,
  and a row with the same plate and another VIN is another car (a plate moves between cars), so a
  new vehicle; importing the file again finds both by VIN. A VIN never seen is a new vehicle, so
  that a later complaint about it finds its history.
- The repair order number is unique per store: importing the same file again changes nothing, a
  row whose repair order exists updates that visit (the DMS is the source), unless the repair
  order belongs to another vehicle (a row error). Only visits that change are written.
- 是否本投诉故障 (whether the visit repaired the complaint's fault) needs the complaint: the row's
  投诉单号 (form number) or the complaint the import was started from. 是 links the visit to it,
  否 unlinks it, blank leaves it as it is. Each complaint whose visits the import created, changed,
  linked or unlinked gets one timeline entry with the counts.
- Uploads through the page and the API take at most WEB_MAX_ROWS data rows (the file is refused
  before any row is checked); the command has no limit.
- The DMS's repair type (维修类型) decides what counts: warranty / quality repairs count towards the
  three guarantees, maintenance and accident or paid work do not; without the column every row
  is taken as a quality repair.
- The staff complained about in an open complaint about a vehicle may not import its visits
  (SPEC §1): such rows are refused.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from complaintdesk.complaints.choices import OPEN_STATES
from complaintdesk.complaints.import_vocabulary import norm
from complaintdesk.complaints.importing import (
    CellError,
    ImportRefused,
    RowError,
    Table,
    cell_text,
    match_columns,
    parse_datetime,
    read_table,
)
from complaintdesk.complaints.models import Complaint, Vehicle
from complaintdesk.complaints.normalize import (
    is_valid_vin,
    normalize_plate,
    normalize_vin,
)
from complaintdesk.core.errors import NotPermitted
from complaintdesk.core.text import join_list
from complaintdesk.org.models import Store
from complaintdesk.org.selectors import roles_in_store
from complaintdesk.warranty import selectors, services
from complaintdesk.warranty.choices import System, VisitKind, VisitSource
from complaintdesk.warranty.models import RepairVisit

# Our field -> the headers that mean it (compared in import_vocabulary.norm form). The first name
# is the one error messages show when the file lacks the column.
COLUMNS: dict[str, tuple[str, ...]] = {
    "repair_order": (
        "repair_order",
        "工单号",
        "维修单号",
        "维修工单号",
        "工单编号",
        "委托书号",
        "ro",
        "ro_number",
        "ro_no",
        "repair_order_no",
        "repair_order_number",
    ),
    "vin": ("vin", "车架号", "vin码", "车辆识别代号", "车辆识别号", "底盘号"),
    "plate": ("plate", "车牌号", "车牌", "车牌号码", "license_plate"),
    "date_in": (
        "date_in",
        "进厂日期",
        "进厂时间",
        "入厂日期",
        "入厂时间",
        "接车日期",
        "接车时间",
        "check_in",
        "in",
    ),
    "date_out": (
        "date_out",
        "出厂日期",
        "出厂时间",
        "完工日期",
        "竣工日期",
        "离厂日期",
        "check_out",
        "out",
    ),
    "mileage_km": (
        "mileage_km",
        "里程",
        "进厂里程",
        "行驶里程",
        "公里数",
        "里程数",
        "mileage",
        "odometer",
        "km",
    ),
    "fault_description": (
        "fault_description",
        "故障描述",
        "故障现象",
        "维修内容",
        "客户描述",
        "fault",
        "description",
    ),
    "parts_replaced": ("parts_replaced", "更换配件", "更换零件", "更换零部件", "配件", "parts"),
    "system": ("system", "总成", "系统", "故障系统", "总成系统", "assembly"),
    "assembly_replaced": ("assembly_replaced", "更换总成", "是否更换总成", "总成更换"),
    "serious_safety": (
        "serious_safety",
        "严重安全性能故障",
        "是否严重安全性能故障",
        "严重安全故障",
        "安全故障",
    ),
    "kind": ("kind", "维修类型", "工单类型", "维修性质", "repair_type", "type"),
    "excluded_days": ("excluded_days", "不计入天数", "不计入修理时间天数", "不计天数"),
    "is_complaint_fault": (
        "is_complaint_fault",
        "是否本投诉故障",
        "本投诉故障",
        "投诉故障",
        "complaint_fault",
    ),
    "complaint_number": (
        "complaint_number",
        "投诉单号",
        "反馈单号",
        "投诉编号",
        "form_number",
        "complaint",
    ),
    "invoice_date": ("invoice_date", "开票日期", "发票日期", "购车发票日期", "购车日期"),
    "delivery_date": ("delivery_date", "交付日期", "新车交付日期", "购车交付日期"),
}
ALIASES = {norm(name): f for f, names in COLUMNS.items() for name in names}
REQUIRED = ("repair_order", "vin", "date_in")

# Uploads through the page or the API are read and stored within one web request (gunicorn gives it
# 60 s; a row takes a few ms): larger files go through the command, which has no limit.
WEB_MAX_ROWS = 3_000

YES = {"是", "y", "yes", "true", "1", "√", "✓", "有", "x"}
NO = {"否", "n", "no", "false", "0", "×", "无", "-"}

# Free wording of the DMS → our codes; the first keyword contained in the cell wins.
SYSTEM_WORDS: tuple[tuple[str, str], ...] = (
    ("发动机", System.ENGINE),
    ("engine", System.ENGINE),
    ("变速", System.GEARBOX),
    ("gearbox", System.GEARBOX),
    ("transmission", System.GEARBOX),
    ("动力蓄电池", System.TRACTION_BATTERY),
    ("动力电池", System.TRACTION_BATTERY),
    ("电池包", System.TRACTION_BATTERY),
    ("traction battery", System.TRACTION_BATTERY),
    ("驱动电机", System.DRIVE_MOTOR),
    ("drive motor", System.DRIVE_MOTOR),
    ("转向", System.STEERING),
    ("steering", System.STEERING),
    ("制动", System.BRAKES),
    ("刹车", System.BRAKES),
    ("brake", System.BRAKES),
    ("悬架", System.SUSPENSION),
    ("悬挂", System.SUSPENSION),
    ("suspension", System.SUSPENSION),
    ("传动", System.DRIVELINE),
    ("driveline", System.DRIVELINE),
    ("排放", System.EMISSION_CONTROL),
    ("污染控制", System.EMISSION_CONTROL),
    ("尾气", System.EMISSION_CONTROL),
    ("emission", System.EMISSION_CONTROL),
    ("车身", System.BODY),
    ("body", System.BODY),
    ("燃油", System.FUEL),
    ("油箱", System.FUEL),
    ("fuel", System.FUEL),
    ("电气", System.ELECTRICAL),
    ("电器", System.ELECTRICAL),
    ("electrical", System.ELECTRICAL),
    ("其他", System.OTHER),
    ("other", System.OTHER),
)
KIND_WORDS: tuple[tuple[str, str], ...] = (
    ("保养", VisitKind.MAINTENANCE),
    ("维护", VisitKind.MAINTENANCE),
    ("首保", VisitKind.MAINTENANCE),
    ("maintenance", VisitKind.MAINTENANCE),
    ("事故", VisitKind.OTHER),
    ("保险", VisitKind.OTHER),
    ("钣喷", VisitKind.OTHER),
    ("美容", VisitKind.OTHER),
    ("加装", VisitKind.OTHER),
    ("精品", VisitKind.OTHER),
    ("accident", VisitKind.OTHER),
    ("insurance", VisitKind.OTHER),
    ("other", VisitKind.OTHER),
    ("保修", VisitKind.QUALITY),
    ("索赔", VisitKind.QUALITY),
    ("三包", VisitKind.QUALITY),
    ("质量", VisitKind.QUALITY),
    ("质保", VisitKind.QUALITY),
    ("返修", VisitKind.QUALITY),
    ("维修", VisitKind.QUALITY),
    ("warranty", VisitKind.QUALITY),
    ("quality", VisitKind.QUALITY),
    ("repair", VisitKind.QUALITY),
)


def _word(text: str, choices, words) -> str | None:
    low = text.strip().lower()
    if low in choices.values:
        return low
    for value, label in choices.choices:
        if text.strip() == str(label):
            return value
    for keyword, value in words:
        if keyword in low:
            return value
    return None


def _bool(text: str) -> bool | None:
    low = text.strip().lower()
    if low in YES:
        return True
    if low in NO:
        return False
    raise CellError(_("“%(v)s” is not yes or no (是/否).") % {"v": text})


def _int(value) -> int:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if float(value) != int(value):
            raise CellError(_("Must be a whole number."))
        return int(value)
    text = re.sub(r"[,\s，]|km|公里|天|日", "", cell_text(value), flags=re.IGNORECASE)
    if not re.fullmatch(r"\d+(\.0+)?", text):
        raise CellError(_("“%(v)s” is not a whole number.") % {"v": cell_text(value)})
    return int(float(text))


def _date(value, tz, epoch) -> dt.date:
    result, _has_time = parse_datetime(value, tz, epoch)
    return timezone.localtime(result, tz).date()


@dataclass
class RepairImportReport:
    file_name: str
    rows_total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    vehicles_created: int = 0
    flags_raised: int = 0
    errors: list[RowError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    encoding: str = ""
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict:
        return {
            "file_name": self.file_name,
            "ok": self.ok,
            "dry_run": self.dry_run,
            "rows_total": self.rows_total,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "vehicles_created": self.vehicles_created,
            "flags_raised": self.flags_raised,
            "errors": [e.as_dict() for e in self.errors],
            "ignored_columns": self.ignored_columns,
            "notes": self.notes,
            "encoding": self.encoding,
        }


@dataclass
class _Row:
    number: int
    values: dict
    vin: str
    plate: str
    complaint: Complaint | None
    fault: bool | None
    facts: dict
    vehicle: Vehicle | None = None  # the stored vehicle it is matched to; None: a new one


def _map_columns(headers: list[str]) -> tuple[dict[str, int], dict[str, str], list[str]]:
    return match_columns(headers, ALIASES, COLUMNS, list(REQUIRED))


def _read_row(cells, index, tz, epoch, errors: dict) -> dict:
    raw = {f: (cells[i] if i < len(cells) else None) for f, i in index.items()}
    text = {f: cell_text(v) for f, v in raw.items()}
    values: dict = {
        "repair_order": text.get("repair_order", ""),
        "fault_description": text.get("fault_description", ""),
        "parts_replaced": text.get("parts_replaced", ""),
    }

    def put(name, parse):
        if not text.get(name):
            return None
        try:
            return parse(raw[name])
        except CellError as exc:
            errors.setdefault(name, []).append(str(exc))
            return None

    values["date_in"] = put("date_in", lambda v: _date(v, tz, epoch))
    values["date_out"] = put("date_out", lambda v: _date(v, tz, epoch))
    values["mileage_km"] = put("mileage_km", _int)
    values["excluded_days"] = put("excluded_days", _int) or 0
    values["assembly_replaced"] = put("assembly_replaced", lambda v: _bool(cell_text(v))) or False
    values["serious_safety"] = put("serious_safety", lambda v: _bool(cell_text(v))) or False
    values["invoice_date"] = put("invoice_date", lambda v: _date(v, tz, epoch))
    values["delivery_date"] = put("delivery_date", lambda v: _date(v, tz, epoch))
    values["is_complaint_fault"] = put("is_complaint_fault", lambda v: _bool(cell_text(v)))
    values["complaint_number"] = text.get("complaint_number", "")
    values["vin"] = text.get("vin", "")
    values["plate"] = text.get("plate", "")
    for name, choices, words in (("system", System, SYSTEM_WORDS), ("kind", VisitKind, KIND_WORDS)):
        if text.get(name):
            value = _word(text[name], choices, words)
            if value is None:
                errors.setdefault(name, []).append(
                    _("Unknown value “%(v)s”; expected one of: %(all)s")
                    % {
                        "v": text[name],
                        "all": join_list(label for _v, label in choices.choices),
                    }
                )
            values[name] = value or ""
        else:
            values[name] = "" if name == "system" else VisitKind.QUALITY
    return values


def import_repairs(
    table: Table,
    *,
    store: Store,
    actor,
    file_name: str,
    complaint: Complaint | None = None,
    dry_run: bool = False,
    now: dt.datetime | None = None,
) -> RepairImportReport:
    """Check every row, then store all of them or nothing. See the module docstring."""
    now = now or timezone.now()
    if not roles_in_store(actor, store) & services.EDIT_ROLES:
        raise NotPermitted(
            _("Only the customer service center, after-sales and management import repair history.")
        )
    if complaint is not None and complaint.store_id != store.pk:
        raise ImportRefused(_("The complaint belongs to another store."))
    index, header, ignored = _map_columns(table.headers)
    report = RepairImportReport(
        file_name=file_name,
        rows_total=len(table.rows),
        ignored_columns=ignored,
        notes=list(table.notes),
        encoding=table.encoding,
        dry_run=dry_run,
    )
    today = selectors.store_today(store, now)
    tz = store.tz

    def add(number: int, errors: dict) -> None:
        for name, messages in errors.items():
            column = header.get(name, name) if name else "—"
            report.errors += [RowError(number, column, str(m)) for m in messages]

    rows: list[_Row] = []
    seen_orders: dict[str, int] = {}
    complaints_by_number = {}
    named_in: dict[int, bool] = {}  # complaint id -> the importer is one of its involved staff
    for number, cells in table.rows:
        errors: dict = {}
        values = _read_row(cells, index, tz, table.epoch, errors)
        vin = normalize_vin(values["vin"])
        if not vin:
            errors.setdefault("vin", []).append(_("This field is required."))
        elif not is_valid_vin(vin):
            errors.setdefault("vin", []).append(
                _("“%(v)s” is not a VIN (17 letters and digits, no I, O or Q).")
                % {"v": values["vin"]}
            )
        clean, problems = services.clean_visit(values, today=today)
        for name, messages in problems.items():
            if name not in errors:
                errors[name] = messages
        for name in ("invoice_date", "delivery_date"):
            if values[name] is not None and values[name] > today:
                errors.setdefault(name, []).append(_("Cannot be in the future."))
        ro = clean["repair_order"]
        if ro and ro in seen_orders:
            errors.setdefault("repair_order", []).append(
                _("Repair order %(ro)s is already in row %(row)d.")
                % {"ro": ro, "row": seen_orders[ro]}
            )
        elif ro:
            seen_orders[ro] = number
        target = complaint
        if values["complaint_number"]:
            key = values["complaint_number"]
            if key not in complaints_by_number:
                complaints_by_number[key] = (
                    Complaint.objects.visible_to(actor)
                    .filter(store=store, number=key)
                    .select_related("vehicle")
                    .first()
                )
            target = complaints_by_number[key]
            if target is None:
                errors.setdefault("complaint_number", []).append(
                    _("No complaint %(n)s in this store.") % {"n": key}
                )
        if (
            values["is_complaint_fault"] is not None
            and target is None
            and "complaint_number" not in errors
        ):
            errors.setdefault("is_complaint_fault", []).append(
                _(
                    "Say which complaint: add the 投诉单号 column or import from the complaint's page."
                )
            )
        if target is not None and target.pk not in named_in:
            named_in[target.pk] = target.involved_staff.filter(pk=actor.pk).exists()
        if target is not None and named_in[target.pk]:
            errors.setdefault(
                "complaint_number" if values["complaint_number"] else "vin", []
            ).append(
                str(_("You are named in complaint %(n)s and may not record its repairs."))
                % {"n": target.number}
            )
        facts = {k: values[k] for k in ("invoice_date", "delivery_date") if values[k] is not None}
        rows.append(
            _Row(number, clean, vin, values["plate"], target, values["is_complaint_fault"], facts)
        )
        add(number, errors)

    # Against what is stored: vehicles by VIN, existing repair orders, conflicts of interest.
    vins = {r.vin for r in rows if r.vin}
    vehicles = {v.vin: v for v in Vehicle.objects.filter(store=store, vin__in=vins)}
    plates = {normalize_plate(r.plate) for r in rows if r.plate and r.vin not in vehicles}
    by_plate = {
        v.plate_normalized: v
        for v in Vehicle.objects.filter(store=store, vin="", plate_normalized__in=plates)
    }
    existing = {
        v.repair_order: v
        for v in RepairVisit.objects.filter(
            store=store, repair_order__in=[r.values["repair_order"] for r in rows]
        ).select_related("vehicle")
    }
    involved_vehicles = set(
        Complaint.objects.filter(
            store=store, status__in=OPEN_STATES, involved_staff=actor, vehicle__isnull=False
        ).values_list("vehicle_id", flat=True)
    )
    facts_seen: dict[tuple[str, str], tuple[dt.date, int]] = {}
    # A VIN-less vehicle found by plate takes the VIN of the first row naming it; a row with the
    # same plate and another VIN is another car (a new vehicle), not this one.
    plate_claimed: dict[str, str] = {}
    for row in rows:
        errors = {}
        vehicle = vehicles.get(row.vin)
        plate = normalize_plate(row.plate) if row.plate else ""
        if vehicle is None and plate in by_plate:
            if plate_claimed.setdefault(plate, row.vin) == row.vin:
                vehicle = by_plate[plate]
        row.vehicle = vehicle
        visit = existing.get(row.values["repair_order"])
        if visit is not None and (vehicle is None or visit.vehicle_id != vehicle.pk):
            errors.setdefault("repair_order", []).append(
                _("Repair order %(ro)s belongs to the vehicle %(vin)s.")
                % {"ro": visit.repair_order, "vin": visit.vehicle.vin or visit.vehicle.plate}
            )
        if vehicle is not None and vehicle.pk in involved_vehicles:
            errors.setdefault("vin", []).append(
                _(
                    "You are named in an open complaint about this vehicle and may not record its repairs."
                )
            )
        if (
            row.complaint is not None
            and row.complaint.vehicle_id is not None
            and (vehicle is None or row.complaint.vehicle_id != vehicle.pk)
        ):
            errors.setdefault("vin", []).append(
                _("Complaint %(n)s is about another vehicle.") % {"n": row.complaint.number}
            )
        for name, value in row.facts.items():
            earlier = facts_seen.setdefault((row.vin, name), (value, row.number))
            if earlier[0] != value:
                errors.setdefault(name, []).append(
                    _("Row %(row)d gives this vehicle %(date)s.")
                    % {"row": earlier[1], "date": earlier[0].isoformat()}
                )
        add(row.number, errors)

    report.errors.sort(key=lambda e: (e.row, e.column))
    if report.errors:
        return report

    with transaction.atomic():
        touched: dict[int, Vehicle] = {}
        new_vehicles: dict[str, Vehicle] = {}
        # complaint id -> (complaint, what this import changed on it) for its timeline.
        per_complaint: dict[int, tuple[Complaint, dict[str, int]]] = {}
        for row in rows:
            vehicle = row.vehicle or new_vehicles.get(row.vin)
            if vehicle is None:
                report.vehicles_created += 1
                vehicle = Vehicle(
                    store=store,
                    vin=row.vin,
                    plate=row.plate,
                    plate_normalized=normalize_plate(row.plate),
                )
                if not dry_run:
                    vehicle.save()
                new_vehicles[row.vin] = vehicle
            elif not vehicle.vin:
                vehicle.vin = row.vin
                if not dry_run:
                    Vehicle.objects.filter(pk=vehicle.pk).update(vin=row.vin)
            if row.facts and not dry_run:
                Vehicle.objects.filter(pk=vehicle.pk).update(**row.facts)
                for name, value in row.facts.items():
                    setattr(vehicle, name, value)
            visit = existing.get(row.values["repair_order"])
            if visit is None:
                report.created += 1
                change = "created"
                visit = RepairVisit(
                    store=store,
                    vehicle=vehicle,
                    repair_order=row.values["repair_order"],
                    source=VisitSource.IMPORT,
                    created_by=actor,
                )
            elif all(getattr(visit, n) == row.values[n] for n in services.VISIT_FIELDS):
                report.unchanged += 1
                change = ""
            else:
                report.updated += 1
                change = "updated"
            if dry_run:
                continue
            if change:
                for name in services.VISIT_FIELDS:
                    setattr(visit, name, row.values[name])
                visit.save()
            link = ""
            if row.complaint is not None and row.fault is not None:
                linked = change != "created" and (
                    visit.fault_of.filter(pk=row.complaint.pk).exists()
                )
                if row.fault and not linked:
                    visit.fault_of.add(row.complaint)
                    link = "linked"
                elif not row.fault and linked:
                    visit.fault_of.remove(row.complaint)
                    link = "unlinked"
            if row.complaint is not None and (change or link):
                tally = per_complaint.setdefault(
                    row.complaint.pk,
                    (row.complaint, {"created": 0, "updated": 0, "linked": 0, "unlinked": 0}),
                )[1]
                for key in (change, link):
                    if key:
                        tally[key] += 1
            touched[vehicle.pk] = vehicle
        for target, tally in per_complaint.values():
            services.import_timeline(
                complaint=target, actor=actor, file_name=file_name, tally=tally, now=now
            )
        for vehicle in touched.values():
            report.flags_raised += len(services.vehicle_reevaluate(vehicle=vehicle, now=now))
    return report


def import_repairs_file(
    name: str,
    data: bytes,
    *,
    store: Store,
    actor,
    complaint: Complaint | None = None,
    dry_run: bool = False,
    now: dt.datetime | None = None,
    max_rows: int | None = None,
) -> RepairImportReport:
    """Read a .csv or .xlsx file's bytes and import it (ImportRefused for an unreadable file, or
    for more than `max_rows` data rows — the limit of web uploads, checked before any row)."""
    if not data:
        raise ImportRefused(_("The file is empty."))
    table = read_table(Path(name).name, data)
    if max_rows is not None and len(table.rows) > max_rows:
        raise ImportRefused(
            _(
                "The file has %(rows)s repair orders; an upload takes at most %(limit)s. Split "
                "the file, or have an administrator import it on the server with: "
                "complaintdesk warranty import-repairs FILE --store %(store)s"
            )
            % {"rows": f"{len(table.rows):,}", "limit": f"{max_rows:,}", "store": store.code}
        )
    report = import_repairs(
        table,
        store=store,
        actor=actor,
        file_name=Path(name).name,
        complaint=complaint,
        dry_run=dry_run,
        now=now,
    )
    report.notes.append(f"sha256 {hashlib.sha256(data).hexdigest()[:16]}")
    return report
