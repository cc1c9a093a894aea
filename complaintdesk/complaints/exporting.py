"""Excel export of a complaint list.

The caller passes a queryset that is already access-filtered (it starts from
`Complaint.objects.visible_to(user)`); this module only turns rows into a workbook.

Text from customers is untrusted: a cell whose text starts with `=`, `+`, `-`, `@` (or a tab /
carriage return) is written as a plain string cell with Excel's "quote prefix" style, so that
"=HYPERLINK(…)" is shown as text and never becomes a formula, not even after the user edits the
cell. Times are the store's local time as real Excel datetimes (no tzinfo: Excel has none).
"""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
EXPORT_RELATED = ("store", "vehicle", "customer", "concerned_department", "current_step")


def _local(value, store):
    """Aware UTC → the store's wall-clock time, naive (what Excel stores)."""
    if value is None:
        return None
    return timezone.localtime(value, store.tz).replace(tzinfo=None)


def mask_plate(plate: str) -> str:
    """京A12345 → 京A***45 (SPEC §9: mask plates for roles that do not need them)."""
    if len(plate) <= 4:
        return "*" * len(plate)
    return plate[:2] + "*" * (len(plate) - 4) + plate[-2:]


def mask_name(name: str) -> str:
    """张伟 → 张*, Michael Brown → M************"""
    return name[:1] + "*" * (len(name) - 1) if name else ""


def _columns():
    # (header, width, value of a complaint); headers are translated at export time.
    return [
        (_("Form number"), 16, lambda c, m: c.number),
        (_("Store"), 18, lambda c, m: c.store.name),
        (_("Status"), 14, lambda c, m: str(c.get_status_display())),
        (_("Channel"), 14, lambda c, m: str(c.get_channel_display())),
        (_("Nature"), 14, lambda c, m: str(c.get_nature_display()) if c.nature else ""),
        (_("Severity"), 10, lambda c, m: str(c.get_severity_display())),
        (_("Tier"), 6, lambda c, m: c.tier),
        (_("Received at"), 17, lambda c, m: _local(c.received_at, c.store)),
        (_("Summary"), 40, lambda c, m: c.summary),
        (_("What happened"), 60, lambda c, m: c.description),
        (
            _("Plate"),
            12,
            lambda c, m: (
                mask_plate(c.plate) if m else c.plate
            ),
        ),
        (_("Vehicle model"), 20, lambda c, m: c.vehicle_model),
        (
            _("Customer name"),
            14,
            lambda c, m: (
                mask_name(c.customer_name) if m else c.customer_name
            ),
        ),
        (
            _("Department concerned"),
            16,
            lambda c, m: str(c.concerned_department) if c.concerned_department_id else "",
        ),
        (
            _("Current step"),
            18,
            lambda c, m: str(c.current_step.get_kind_display()) if c.current_step_id else "",
        ),
        (
            _("Due at"),
            17,
            lambda c, m: _local(c.current_step.due_at, c.store) if c.current_step_id else None,
        ),
        (_("Outcome"), 12, lambda c, m: str(c.get_outcome_display()) if c.outcome else ""),
    ]


def export_complaints_xlsx(queryset, *, mask_personal: bool = False) -> bytes:
    """An .xlsx of the given complaints, one row each, in the queryset's order.

    `mask_personal` masks plates and customer names for roles that do not need them (SPEC §9).
    """
    columns = _columns()
    wb = Workbook()
    ws = wb.active
    ws.title = _("Complaints")[:31]
    ws.append([header for header, _w, _f in columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for index, (_h, width, _f) in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "A2"

    rows = queryset.select_related(*EXPORT_RELATED)
    if not rows.ordered:
        rows = rows.order_by("pk")
    for row_number, complaint in enumerate(rows.iterator(chunk_size=500), start=2):
        for col_number, (_h, _w, value_of) in enumerate(columns, start=1):
            value = value_of(complaint, mask_personal)
            cell = ws.cell(row=row_number, column=col_number)
            if isinstance(value, str):
                cell.value = value
                if value.startswith(FORMULA_PREFIXES):
                    # openpyxl would mark "=…" as a formula: force a string cell, and set the
                    # quote prefix so Excel keeps it text even when the cell is edited.
                    cell.data_type = "s"
                    cell.quotePrefix = True
            else:
                cell.value = value
                if hasattr(value, "hour"):
                    cell.number_format = DATETIME_FORMAT
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


__all__ = ["export_complaints_xlsx", "mask_name", "mask_plate"]
