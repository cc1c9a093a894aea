"""Excel export of a pending-matter ledger. The caller passes an access-filtered queryset
(selectors.pending_ledger); customer text is written formula-safe, as in complaints.exporting."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from complaintdesk.complaints.exporting import DATETIME_FORMAT, FORMULA_PREFIXES, _local
from complaintdesk.followup.selectors import age_days


def _columns():
    return [
        (_("Form number"), lambda m: m.complaint.number),
        (_("Store"), lambda m: m.store.name),
        (_("Summary"), lambda m: m.complaint.summary),
        (_("Plate"), lambda m: m.complaint.plate),
        (_("Customer name"), lambda m: m.complaint.customer_name),
        (_("Reason"), lambda m: str(m.get_reason_display())),
        (_("Customer manager"), lambda m: str(m.complaint.customer_manager or "")),
        (_("Pending since"), lambda m: _local(m.opened_at, m.store)),
        (_("Age (days)"), lambda m: age_days(m)),
        (_("Home visit"), lambda m: m.home_visit_on if m.home_visit_required else None),
        (_("Last contact"), lambda m: _local(m.last_contact_at, m.store)),
        (_("Last contact outcome"), lambda m: str(m.get_last_contact_outcome_display() or "")),
        (_("Next contact on"), lambda m: m.next_contact_on),
    ]


def export_ledger_xlsx(matters) -> bytes:
    columns = _columns()
    wb = Workbook()
    ws = wb.active
    ws.title = _("Pending matters")[:31]
    ws.append([header for header, _f in columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    for row_number, matter in enumerate(matters, start=2):
        for col_number, (_h, value_of) in enumerate(columns, start=1):
            value = value_of(matter)
            cell = ws.cell(row=row_number, column=col_number)
            cell.value = value
            if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
                # Never a formula, not even after the user edits the cell.
                cell.data_type = "s"
                cell.quotePrefix = True
            elif hasattr(value, "hour"):
                cell.number_format = DATETIME_FORMAT
            elif hasattr(value, "day"):
                cell.number_format = "yyyy-mm-dd"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
