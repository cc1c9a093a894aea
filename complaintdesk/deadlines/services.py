"""Writes to the calendar and the policies. Every change recomputes the due times of open steps
(closed ones keep theirs) and withdraws warnings and escalations that no longer apply."""

from __future__ import annotations

import csv
import datetime as dt
import io

from django.db import transaction
from django.utils.translation import gettext as _

from complaintdesk.core.errors import ValidationFailed
from complaintdesk.deadlines.models import CalendarDay, CalendarYear, DayKind
from complaintdesk.deadlines.sweep import recompute_open_steps
from complaintdesk.org.models import Store

KIND_ALIASES = {
    "holiday": DayKind.HOLIDAY, "休": DayKind.HOLIDAY, "假": DayKind.HOLIDAY, "节假日": DayKind.HOLIDAY,
    "off": DayKind.HOLIDAY,
    "workday": DayKind.WORKDAY, "班": DayKind.WORKDAY, "调休": DayKind.WORKDAY, "上班": DayKind.WORKDAY,
    "work": DayKind.WORKDAY,
}


def calendar_changed(*, store: Store | None) -> int:
    """Call after any change to calendar days, office hours or policies of a store (or, with
    None, the national calendar): recomputes open steps; returns how many moved."""
    return recompute_open_steps(store=store)


def calendar_import(*, data: bytes, store: Store | None = None, year_note: str = "") -> dict:
    """Import days from CSV (`date,kind,name`, kind holiday/workday or 休/班), e.g. the State
    Council's notice for a year the chinesecalendar package does not know yet. All rows are
    checked first; a bad row refuses the whole file. National imports mark their years as
    entered (no longer provisional)."""
    text = None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if text is None:
        raise ValidationFailed(_("The file is neither UTF-8 nor GBK text."), field="file")
    reader = csv.reader(io.StringIO(text))
    rows, errors = [], {}
    for number, row in enumerate(reader, start=1):
        if not row or not any(cell.strip() for cell in row):
            continue
        if number == 1 and row[0].strip().lower() in {"date", "日期"}:
            continue
        cells = [c.strip() for c in row] + ["", ""]
        try:
            day = dt.date.fromisoformat(cells[0])
        except ValueError:
            errors.setdefault(f"row {number}, column 1 (date)", []).append(
                _("%(v)r is not a date (YYYY-MM-DD).") % {"v": cells[0]}
            )
            continue
        kind = KIND_ALIASES.get(cells[1].lower())
        if kind is None:
            errors.setdefault(f"row {number}, column 2 (kind)", []).append(
                _("%(v)r is not holiday/workday (休/班).") % {"v": cells[1]}
            )
            continue
        rows.append((day, kind, cells[2][:100]))
    if errors:
        raise ValidationFailed(_("The calendar file has errors; nothing was imported."), errors=errors)
    if not rows:
        raise ValidationFailed(_("The file holds no days."), field="file")
    seen: dict[dt.date, str] = {}
    for day, kind, _name in rows:
        if seen.get(day, kind) != kind:
            raise ValidationFailed(_("%(d)s is listed as both a holiday and a working day.") % {"d": day}, field="file")
        seen[day] = kind
    years = sorted({day.year for day, _k, _n in rows})
    with transaction.atomic():
        for day, kind, name in rows:
            CalendarDay.objects.update_or_create(store=store, date=day, defaults={"kind": kind, "name": name})
        if store is None:
            for year in years:
                CalendarYear.objects.update_or_create(
                    year=year, defaults={"source": CalendarYear.Source.FILE, "note": year_note[:200]}
                )
        moved = calendar_changed(store=store)
    return {"days": len(rows), "years": years, "recomputed": moved}
