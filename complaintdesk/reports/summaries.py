"""The scheduled summaries (SPEC §7) as Excel workbooks, and their e-mail + in-app delivery.

The feedback-form summary goes to the GM and the management department every Tuesday (the
7 local days before) and on the 2nd (the previous calendar month); the rewards-and-penalties
summary goes to the GM and finance on the 4th (the previous calendar month). Any past period can
be produced again from the dashboard or `complaintdesk report summary`.
"""

from __future__ import annotations

import datetime as dt
import io

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from complaintdesk.complaints.exporting import FORMULA_PREFIXES
from complaintdesk.org.models import Role
from complaintdesk.reports import figures
from complaintdesk.reports.selectors import sanctions_in, store_period

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FEEDBACK, SANCTIONS = "feedback", "sanctions"
RECIPIENT_ROLES = {
    FEEDBACK: {Role.GENERAL_MANAGER, Role.MANAGEMENT},
    SANCTIONS: {Role.GENERAL_MANAGER, Role.FINANCE},
}


def _cell(value):
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_PREFIXES) else value


def _sheet(wb, title, header, rows, first=False):
    ws = wb.active if first else wb.create_sheet()
    ws.title = title[:31]
    ws.append([str(h) for h in header])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([_cell(v) for v in row])
    return ws


def figures_xlsx(figs) -> bytes:
    """One sheet per figure: label and count (and the step figure's late count and rate)."""
    wb = Workbook()
    for i, fig in enumerate(figs):
        if fig.name == "steps":
            rows = [(r.label, r.value, r.extra["late"], r.extra["on_time_rate"]) for r in fig.rows]
            header = (_("Step"), _("Complaints"), _("Late"), _("On-time rate %"))
        else:
            rows = [(r.label, r.value) for r in fig.rows]
            header = (_("Item"), _("Complaints"))
        _sheet(wb, f"{i + 1} {fig.title}", header, rows, first=i == 0)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def feedback_summary_xlsx(store, start: dt.date, end: dt.date, now=None) -> bytes:
    qs = store_period(store, start, end)
    base = {"store": store.pk}
    since = figures.period_since([store.pk], start)
    figs = figures.period_figures(qs, base, [store.pk], since=since, now=now)
    wb_bytes = figures_xlsx(figs)
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(wb_bytes))
    rows = []
    for c in qs.select_related("concerned_department").order_by("received_at", "id"):
        rows.append(
            (
                c.number,
                timezone.localtime(c.received_at, store.tz).replace(tzinfo=None),
                c.get_channel_display(),
                c.get_nature_display(),
                c.concerned_department.name if c.concerned_department else "",
                c.get_status_display(),
                c.summary,
            )
        )
    header = (
        _("Form number"),
        _("Received at"),
        _("Channel"),
        _("Nature"),
        _("Department"),
        _("Status"),
        _("Summary"),
    )
    ws = wb.create_sheet(_("Complaints")[:31])
    ws.append([str(h) for h in header])
    for row in rows:
        ws.append([_cell(v) for v in row])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def sanctions_summary_xlsx(store, start: dt.date, end: dt.date) -> bytes:
    rows = [
        (
            s.complaint.number,
            s.get_kind_display(),
            str(s.person or ""),
            s.department.name if s.department else "",
            float(s.amount),
            s.reason,
            timezone.localtime(s.created_at, store.tz).replace(tzinfo=None),
        )
        for s in sanctions_in(store, start, end)
    ]
    wb = Workbook()
    _sheet(
        wb,
        _("Rewards and penalties"),
        (
            _("Form number"),
            _("Kind"),
            _("Person"),
            _("Department"),
            _("Amount"),
            _("Reason"),
            _("Entered at"),
        ),
        rows,
        first=True,
    )
    totals: dict = {}
    for r in rows:
        key = (r[2] or r[3], r[1])
        totals[key] = totals.get(key, 0) + r[4]
    _sheet(
        wb,
        _("Totals"),
        (_("Person or department"), _("Kind"), _("Amount")),
        [(k[0], k[1], v) for k, v in sorted(totals.items())],
    )
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def build(kind: str, store, start: dt.date, end: dt.date) -> bytes:
    if kind == SANCTIONS:
        return sanctions_summary_xlsx(store, start, end)
    return feedback_summary_xlsx(store, start, end)


def send(kind: str, store, start: dt.date, end: dt.date) -> int:
    """E-mail the workbook to the recipients' addresses and tell them in the app. Idempotent in
    the app by (kind, store, period); returns the number of people told."""
    from complaintdesk.notifications.choices import Kind
    from complaintdesk.notifications.services import notify
    from complaintdesk.org.selectors import users_with_roles

    data = build(kind, store, start, end)
    title = (
        _("Feedback form summary %(store)s %(start)s – %(end)s")
        if kind == FEEDBACK
        else _("Rewards and penalties summary %(store)s %(start)s – %(end)s")
    ) % {"store": store.name, "start": start.isoformat(), "end": end.isoformat()}
    people = list(users_with_roles(store, RECIPIENT_ROLES[kind]))
    addresses = sorted({u.email for u in people if u.email})
    if addresses:
        mail = EmailMessage(title, title, settings.DEFAULT_FROM_EMAIL, addresses)
        mail.attach(f"{kind}-{store.code}-{start}-{end}.xlsx", data, XLSX)
        mail.send()
    notify(
        recipients=people,
        store=store,
        kind=Kind.REPORT,
        title=title,
        body=_("Sent by e-mail with the Excel file; it can also be downloaded from the reports."),
        dedupe_key=f"report:{kind}:{store.pk}:{start}:{end}",
    )
    return len(people)


def previous_month(day: dt.date) -> tuple[dt.date, dt.date]:
    end = day.replace(day=1) - dt.timedelta(days=1)
    return end.replace(day=1), end
