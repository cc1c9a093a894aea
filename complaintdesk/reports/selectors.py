"""Reads for the dashboard and the summaries. Every path starts from the user's visible stores
(complaints.selectors.complaint_list) or, for the scheduled job, from one store."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.selectors import ComplaintFilter, complaint_list
from complaintdesk.core.errors import NotFound
from complaintdesk.org.models import Role
from complaintdesk.org.selectors import grants_by_store, visible_store_ids
from complaintdesk.reports import figures
from complaintdesk.reports.models import Sanction

# SPEC §7 / issue 5: the dashboard is for the GM, the CS director and the management department
# (a group-level grant of these roles reaches every store of the group).
DASHBOARD_ROLES = frozenset({Role.GENERAL_MANAGER, Role.CS_DIRECTOR, Role.MANAGEMENT})
SANCTION_ROLES = frozenset({Role.MANAGEMENT, Role.GENERAL_MANAGER})


def dashboard_store_ids(user) -> list[int]:
    """The visible stores in which the user holds a dashboard role."""
    return sorted(s for s, roles in grants_by_store(user).items() if roles & DASHBOARD_ROLES)


def default_period(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    today = today or timezone.localdate()
    return today.replace(day=1), today


def dashboard(user, *, store: int | None = None, start: dt.date, end: dt.date, now=None):
    """All figures for one store or every store the user may see with a dashboard role."""
    allowed = dashboard_store_ids(user)
    if store is not None and store not in allowed:
        raise NotFound()
    if not allowed:
        raise NotFound()
    store_ids = [store] if store else allowed
    scope = {"reportable": "on"}
    if store:
        scope["store"] = store
    base = {**scope, "local_from": start.isoformat(), "local_to": end.isoformat()}
    f = ComplaintFilter(store=store, reportable=True, local_from=start, local_to=end)
    qs = complaint_list(user, f).filter(store_id__in=store_ids)
    all_qs = complaint_list(user, ComplaintFilter(store=store, reportable=True)).filter(
        store_id__in=store_ids
    )
    since = figures.period_since(store_ids, start)
    figs = figures.period_figures(qs, base, store_ids, since=since, now=now)
    figs.append(figures.pending_figure(all_qs, scope, now=now))
    figs += figures.trend_figures(all_qs, scope, store_ids, end)
    return figs


def store_period(store, start: dt.date, end: dt.date):
    """One store's complaints received in local days start..end (for the scheduled summary)."""
    f = ComplaintFilter(reportable=True, local_from=start, local_to=end)
    qs = Complaint.objects.filter(store=store)
    return figures.apply_report_filter(qs, f, [store.pk])


def sanctions_in(store, start: dt.date, end: dt.date):
    cond = figures.local_range_q({store.timezone: [store.pk]}, start, end, field="created_at")
    return (
        Sanction.objects.filter(cond)
        .select_related("complaint", "person", "department")
        .order_by("created_at", "id")
    )


def sanctions_for_complaint(user, complaint):
    if complaint.store_id not in visible_store_ids(user):
        raise NotFound()
    return complaint.sanctions.select_related("person", "department").order_by("created_at")
