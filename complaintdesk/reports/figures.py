"""The report figures (SPEC §7): aggregates in the database over an already scoped queryset.

Every figure is a count of complaints that `complaints.selectors.complaint_list` returns for a
filter (the figure's `params`), so the number on the dashboard and the rows of its drill-down
list are the same query by construction. Days, weeks and months are each store's own: a local
day is turned into a UTC range per time zone of the stores in scope.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from complaintdesk.complaints.choices import (
    Channel,
    Nature,
    Status,
    StepKind,
    StepTrack,
)
from complaintdesk.complaints.models import Complaint, ComplaintEvent, Step
from complaintdesk.complaints.workflow import STATE_STEP
from complaintdesk.org.models import Department, Store, User

REPEAT_DAYS = 90
CLOSED_STATES = (Status.COMPLETED, Status.ARCHIVED)
PENDING_STATES = (Status.PENDING_APPROVAL, Status.PENDING)
# Age of a pending matter (since it became pending), in days: [lower, upper).
PENDING_AGES = {"0-7": (0, 8), "8-30": (8, 31), "31-90": (31, 91), "90+": (91, None)}
# The workflow's steps in their order (the regulatory deadlines run beside them).
WORKFLOW_STEPS = list(dict.fromkeys(STATE_STEP.values()))


def tz_groups(store_ids) -> dict[str, list[int]]:
    groups: dict[str, list[int]] = {}
    for pk, name in Store.objects.filter(pk__in=list(store_ids)).values_list("pk", "timezone"):
        groups.setdefault(name, []).append(pk)
    return groups


def local_range_q(
    groups, start: dt.date | None, end: dt.date | None, field="received_at", *, scoped=False
) -> Q:
    """Local days start..end (inclusive) of each store, as UTC bounds per time zone. `scoped`:
    the rows are already limited to these stores and there is one time zone, so the store test
    is left out (it is evaluated per row and per bucket in the trend counts)."""
    cond = Q(pk__in=[])
    for name, ids in groups.items():
        tz = zoneinfo.ZoneInfo(name)
        part = Q() if scoped and len(groups) == 1 else Q(store_id__in=ids)
        if start:
            part &= Q(**{f"{field}__gte": dt.datetime.combine(start, dt.time(), tz)})
        if end:
            after = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tz)
            part &= Q(**{f"{field}__lt": after})
        cond |= part
    return cond


def period_since(store_ids, start: dt.date) -> dt.datetime:
    """The earliest UTC instant of local day `start` among the stores: every step, breach and
    event of a complaint received in the period happens after it, so the queries on those large
    tables can start from their time index instead of reading them whole."""
    return min(
        dt.datetime.combine(start, dt.time(), zoneinfo.ZoneInfo(name))
        for name in tz_groups(store_ids) or {"UTC": []}
    )


def repeat_q() -> Q:
    """A complaint of the same customer or vehicle in the 90 days before this one."""
    earlier = Complaint.objects.filter(
        received_at__lt=OuterRef("received_at"),
        received_at__gte=OuterRef("received_at") - dt.timedelta(days=REPEAT_DAYS),
    ).exclude(pk=OuterRef("pk"))
    by_customer = earlier.filter(customer_id=OuterRef("customer_id"))
    by_vehicle = earlier.filter(vehicle_id=OuterRef("vehicle_id"))
    return (Q(customer__isnull=False) & Exists(by_customer)) | (
        Q(vehicle__isnull=False) & Exists(by_vehicle)
    )


def late_q(now, prefix="") -> Q:
    return Q(**{f"{prefix}finished_at__gt": F(f"{prefix}due_at")}) | Q(
        **{f"{prefix}finished_at__isnull": True, f"{prefix}due_at__lt": now}
    )


def apply_report_filter(qs: QuerySet, f, store_ids, now=None) -> QuerySet:
    """The report fields of a ComplaintFilter (see complaints.selectors.ComplaintFilter)."""
    from complaintdesk.deadlines.models import Breach

    now = now or timezone.now()
    if f.local_from or f.local_to:
        qs = qs.filter(local_range_q(tz_groups(store_ids), f.local_from, f.local_to))
    if f.reportable:
        qs = qs.exclude(status=Status.VOIDED)
    if f.unset == "nature":
        qs = qs.filter(nature="")
    if f.concerned_department:
        if f.concerned_department == "none":
            qs = qs.filter(concerned_department__isnull=True)
        else:
            qs = qs.filter(concerned_department_id=_int(f.concerned_department))
    if f.vehicle_model:
        # The model as written on the form (Complaint.vehicle_model).
        qs = qs.filter(vehicle_model="" if f.vehicle_model == "none" else f.vehicle_model)
    if f.category:
        qs = qs.filter(source_category="" if f.category == "none" else f.category)
    if f.staff:
        qs = qs.filter(
            Exists(
                Complaint.involved_staff.through.objects.filter(
                    complaint_id=OuterRef("pk"), user_id=f.staff
                )
            )
        )
    if f.closed:
        qs = qs.filter(status__in=CLOSED_STATES)
    if f.repeat:
        qs = qs.filter(repeat_q())
    if f.step or f.late_step:
        steps = Step.objects.filter(
            complaint_id=OuterRef("pk"), track=StepTrack.WORKFLOW, due_at__isnull=False
        )
        if f.step:
            qs = qs.filter(Exists(steps.filter(kind=f.step)))
        if f.late_step:
            qs = qs.filter(Exists(steps.filter(late_q(now), kind=f.late_step)))
    if f.missed_by is not None:
        breaches = Breach.objects.filter(
            complaint_id=OuterRef("pk"), kind=Breach.Kind.BREACH, withdrawn_at__isnull=True
        )
        who = Q(responsible__isnull=True) if int(f.missed_by) == 0 else Q(responsible=f.missed_by)
        qs = qs.filter(Exists(breaches.filter(who)))
    if f.satisfied in ("yes", "no"):
        qs = qs.filter(
            Exists(
                ComplaintEvent.objects.filter(
                    complaint_id=OuterRef("pk"),
                    action="record_callback",
                    data__satisfied=(f.satisfied == "yes"),
                )
            )
        )
    if f.pending_age in PENDING_AGES:
        low, high = PENDING_AGES[f.pending_age]
        qs = qs.filter(
            status__in=PENDING_STATES, current_step__started_at__lte=now - dt.timedelta(days=low)
        )
        if high is not None:
            qs = qs.filter(current_step__started_at__gt=now - dt.timedelta(days=high))
    return qs


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


@dataclass
class Row:
    label: str
    value: int
    params: dict = field(default_factory=dict)  # the drill-down's filter, as list query params
    extra: dict = field(default_factory=dict)


@dataclass
class Figure:
    name: str
    title: str
    rows: list[Row]
    chart: str = "bar"  # bar / pie / line / table
    columns: tuple = ()


def _grouped(qs, key) -> list[tuple]:
    return list(qs.order_by().values_list(key).annotate(n=Count("id")).order_by("-n"))


def period_figures(
    qs: QuerySet, base: dict, store_ids, *, since: dt.datetime, now=None
) -> list[Figure]:
    """The figures over the complaints received in the period. `qs` is the scoped period list;
    `base` its filter as query params (store, local_from, local_to, reportable)."""
    from complaintdesk.deadlines.models import Breach

    now = now or timezone.now()
    figs = []
    counts = qs.order_by().aggregate(
        total=Count("id"),
        closed=Count("id", filter=Q(status__in=CLOSED_STATES)),
    )
    repeat = qs.filter(repeat_q()).order_by().count()
    figs.append(
        Figure(
            "overview",
            _("Overview"),
            [
                Row(_("Complaints received"), counts["total"], base),
                Row(
                    _("Closed (completed or archived)"), counts["closed"], {**base, "closed": "on"}
                ),
                Row(
                    _("Repeat complaints (same customer or vehicle within 90 days)"),
                    repeat,
                    {**base, "repeat": "on"},
                ),
            ],
            chart="table",
        )
    )

    channels = dict(Channel.choices)
    figs.append(
        Figure(
            "channel",
            _("By channel"),
            [
                Row(str(channels.get(v, v)), n, {**base, "channel": v})
                for v, n in _grouped(qs, "channel")
            ],
            chart="pie",
        )
    )

    natures = dict(Nature.choices)
    figs.append(
        Figure(
            "nature",
            _("By nature"),
            [
                Row(str(natures[v]), n, {**base, "nature": v})
                if v
                else Row(_("Not yet judged"), n, {**base, "unset": "nature"})
                for v, n in _grouped(qs, "nature")
            ],
        )
    )

    names = dict(Department.objects.filter(store_id__in=list(store_ids)).values_list("pk", "name"))
    figs.append(
        Figure(
            "department",
            _("By department concerned"),
            [
                Row(names.get(v, "?"), n, {**base, "concerned_department": v})
                if v
                else Row(_("No department"), n, {**base, "concerned_department": "none"})
                for v, n in _grouped(qs, "concerned_department")
            ],
        )
    )

    through = Complaint.involved_staff.through.objects.filter(complaint__in=qs.order_by())
    staff = list(
        through.values_list("user_id")
        .annotate(n=Count("complaint_id", distinct=True))
        .order_by("-n")[:30]
    )
    people = {u.pk: str(u) for u in User.objects.filter(pk__in=[s for s, _n in staff])}
    figs.append(
        Figure(
            "staff",
            _("By staff complained about"),
            [Row(people.get(u, "?"), n, {**base, "staff": u}) for u, n in staff],
        )
    )

    figs.append(
        Figure(
            "vehicle_model",
            _("By vehicle model"),
            [
                Row(v or _("Unknown"), n, {**base, "vehicle_model": v or "none"})
                for v, n in _grouped(qs, "vehicle_model")[:30]
            ],
        )
    )

    figs.append(
        Figure(
            "category",
            _("By fault (category at source)"),
            [
                Row(v or _("Not recorded"), n, {**base, "category": v or "none"})
                for v, n in _grouped(qs, "source_category")[:30]
            ],
        )
    )

    steps = Step.objects.filter(
        complaint__in=qs.order_by(),
        track=StepTrack.WORKFLOW,
        due_at__isnull=False,
        started_at__gte=since,
    )

    per_kind = {
        r["kind"]: r
        for r in steps.order_by()
        .values("kind")
        .annotate(
            complaints=Count("complaint", distinct=True),
            late=Count("complaint", distinct=True, filter=late_q(now)),
            steps=Count("id"),
            late_steps=Count("id", filter=late_q(now)),
        )
    }
    kinds = dict(StepKind.choices)
    rows = []
    for kind in WORKFLOW_STEPS:
        r = per_kind.get(kind)
        if not r:
            continue
        rate = round(100 * (r["steps"] - r["late_steps"]) / r["steps"], 1)
        rows.append(
            Row(
                str(kinds[kind]),
                r["complaints"],
                {**base, "step": kind},
                extra={
                    "late": r["late"],
                    "late_params": {**base, "late_step": kind},
                    "on_time_rate": rate,
                },
            )
        )
    figs.append(Figure("steps", _("On-time rate of every step"), rows, chart="steps"))

    missed = list(
        Breach.objects.filter(
            complaint__in=qs.order_by(),
            kind=Breach.Kind.BREACH,
            withdrawn_at__isnull=True,
            detected_at__gte=since,
        )
        .order_by()
        .values_list("responsible")
        .annotate(n=Count("complaint", distinct=True))
        .order_by("-n")
    )
    people = {u.pk: str(u) for u in User.objects.filter(pk__in=[u for u, _n in missed if u])}
    figs.append(
        Figure(
            "missed",
            _("Who missed which deadline"),
            [
                Row(
                    people.get(u, "?") if u else _("Nobody assigned"),
                    n,
                    {**base, "missed_by": u or 0},
                )
                for u, n in missed
            ],
        )
    )

    callbacks = ComplaintEvent.objects.filter(
        complaint__in=qs.order_by(), action="record_callback", created_at__gte=since
    )
    sat = callbacks.order_by().aggregate(
        yes=Count("complaint", distinct=True, filter=Q(data__satisfied=True)),
        no=Count("complaint", distinct=True, filter=Q(data__satisfied=False)),
    )
    figs.append(
        Figure(
            "satisfaction",
            _("Satisfaction after callback"),
            [
                Row(_("Satisfied"), sat["yes"], {**base, "satisfied": "yes"}),
                Row(_("Not satisfied"), sat["no"], {**base, "satisfied": "no"}),
            ],
            chart="pie",
        )
    )
    return figs


def pending_figure(qs_all: QuerySet, scope: dict, *, now=None) -> Figure:
    """Open pending matters now, by how long they have been pending (not bound to the period)."""
    now = now or timezone.now()
    pending = qs_all.filter(status__in=PENDING_STATES)
    aggs = {}
    for key, (low, high) in PENDING_AGES.items():
        cond = Q(current_step__started_at__lte=now - dt.timedelta(days=low))
        if high is not None:
            cond &= Q(current_step__started_at__gt=now - dt.timedelta(days=high))
        aggs[key] = Count("id", filter=cond)
    counts = pending.order_by().aggregate(**aggs)
    return Figure(
        "pending",
        _("Pending matters by age (days)"),
        [Row(key, counts[key], {**scope, "pending_age": key}) for key in PENDING_AGES],
    )


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def trend_figures(qs_all: QuerySet, scope: dict, store_ids, end: dt.date, n=12) -> list[Figure]:
    """Complaints received per local week and month, the last `n` of each up to `end`: one
    query of conditional counts each (index range scans, no per-row time zone function)."""
    groups = tz_groups(store_ids)
    weeks = [week_start(end) - dt.timedelta(weeks=i) for i in range(n - 1, -1, -1)]
    months = []
    m = month_start(end)
    for _i in range(n):
        months.insert(0, m)
        m = month_start(m - dt.timedelta(days=1))

    def month_end(d):
        return month_start(d + dt.timedelta(days=32)) - dt.timedelta(days=1)

    result = []
    for name, title, starts, end_of in (
        ("weekly", _("Week by week"), weeks, lambda d: d + dt.timedelta(days=6)),
        ("monthly", _("Month by month"), months, month_end),
    ):
        aggs = {
            f"p{i}": Count("id", filter=local_range_q(groups, s, end_of(s), scoped=True))
            for i, s in enumerate(starts)
        }
        # Bounded to the whole span so that the store/time index limits the rows scanned.
        span = qs_all.filter(local_range_q(groups, starts[0], end_of(starts[-1])))
        counts = span.order_by().aggregate(**aggs)
        rows = [
            Row(
                s.isoformat() if name == "weekly" else s.strftime("%Y-%m"),
                counts[f"p{i}"],
                {**scope, "local_from": s.isoformat(), "local_to": end_of(s).isoformat()},
            )
            for i, s in enumerate(starts)
        ]
        result.append(Figure(name, title, rows, chart="line"))
    return result
