"""Deadline policy and the store calendar, read from the database.

Which clock each default uses, and why (SPEC §1, §4, §6, §9):
- The handling steps of workflow A/B run on ELAPSED hours. SPEC §1: "a complaint never waits
  because someone is resting" — the primary/secondary rule and the CS center's staggered duty
  (SPEC §8) exist precisely so that a step is worked outside one person's hours. So "report
  within 1 h" for a letter opened at 17:40 on 30 September is due 18:40 that evening (the person
  who opened it reports it before leaving), and an on-site complaint at 11:20 is due 12:20,
  during the lunch break, when the CS center keeps one person on duty.
- The 24-hour callback after completion is elapsed time too (SPEC §6 "within 24 h").
- Callbacks after compensation or further service and the regulatory deadlines are counted in
  WORKING DAYS, as the rules say (SPEC §6 "3 working days", SPEC §9 7/10/20 working days).
- Warnings go out at 75 % of the time, measured on the deadline's own clock.
A store may change any of these (DeadlinePolicy rows, in the admin); OFFICE hours are available
for a store that prefers them for a step.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from complaintdesk.deadlines.calendar import (
    DEFAULT_INTERVALS,
    BusinessCalendar,
    Clock,
    Due,
    compute_due,
    holiday_label,
)
from complaintdesk.deadlines.models import (
    CalendarDay,
    CalendarYear,
    DayKind,
    DeadlinePolicy,
    OfficeHours,
)
from complaintdesk.org.models import Store


@dataclass(frozen=True)
class Policy:
    amount: float
    clock: str
    warn_percent: int = 75


DEFAULT_POLICIES: dict[str, Policy] = {
    # Workflow steps (SPEC §4): keys are StepKind values.
    "register": Policy(1, Clock.ELAPSED),
    "determine": Policy(24, Clock.ELAPSED),
    "determine_unreachable": Policy(48, Clock.ELAPSED),
    "approve_pending": Policy(4, Clock.ELAPSED),
    "review": Policy(4, Clock.ELAPSED),
    "decide": Policy(4, Clock.ELAPSED),
    "accountability": Policy(8, Clock.ELAPSED),
    "callback": Policy(24, Clock.ELAPSED),
    # SPEC §6: after compensation or further service ended.
    "callback_after_service": Policy(3, Clock.WORKDAYS),
    # SPEC §9 regulatory deadlines.
    "consumer_notice": Policy(7, Clock.WORKDAYS),  # 汽车销售管理办法 2017 Art. 18
    "regulator_acceptance": Policy(7, Clock.WORKDAYS),  # regulator decides on acceptance
    "regulator_mediation": Policy(45, Clock.WORKDAYS),  # mediation ends after acceptance
    "refund_answer": Policy(10, Clock.WORKDAYS),  # 家用汽车产品修理更换退货责任规定
    "refund_complete": Policy(20, Clock.WORKDAYS),
}


def policy_for(store: Store, deadline: str) -> Policy:
    row = DeadlinePolicy.objects.filter(store=store, deadline=deadline).first()
    if row is not None:
        return Policy(float(row.amount), row.clock, row.warn_percent)
    return DEFAULT_POLICIES[deadline]


def store_calendar(store: Store | None, *, years: range | None = None) -> BusinessCalendar:
    """The calendar a store's deadlines are computed on: national days plus its own; without a
    store, the default calendar (Asia/Shanghai, default office hours, national days)."""
    import zoneinfo

    tz = store.tz if store is not None else zoneinfo.ZoneInfo("Asia/Shanghai")
    days = CalendarDay.objects.filter(store__isnull=True)
    if years is not None:
        days = days.filter(date__year__gte=years.start, date__year__lt=years.stop)
    holidays: dict[dt.date, str] = {}
    workdays: dict[dt.date, str] = {}
    rows = list(days.values_list("date", "kind", "name"))
    if store is not None:
        # The store's own closures and extra days come last, so they win over the national ones.
        rows += list(CalendarDay.objects.filter(store=store).values_list("date", "kind", "name"))
    for date, kind, name in rows:
        if kind == DayKind.HOLIDAY:
            holidays[date] = name or "holiday"
            workdays.pop(date, None)
        else:
            workdays[date] = name or "working day"
            holidays.pop(date, None)
    office: dict[int, tuple[tuple[dt.time, dt.time], ...]] = dict.fromkeys(
        range(7), DEFAULT_INTERVALS
    )
    if store is not None:
        custom: dict[int, list[tuple[dt.time, dt.time]]] = {}
        for row in OfficeHours.objects.filter(store=store).order_by("weekday", "start"):
            custom.setdefault(row.weekday, []).append((row.start, row.end))
        if custom:
            office = {wd: tuple(custom.get(wd, ())) for wd in range(7)}
    return BusinessCalendar(
        tz=tz,
        office_hours=office,
        holidays=holidays,
        workdays=workdays,
        known_years=frozenset(CalendarYear.objects.values_list("year", flat=True)),
    )


def due_for(
    store: Store, deadline: str, start: dt.datetime, *, cal: BusinessCalendar | None = None
) -> tuple[Due, Policy]:
    policy = policy_for(store, deadline)
    cal = cal or store_calendar(store)
    return compute_due(start, policy.amount, policy.clock, cal), policy


def next_opening(at: dt.datetime, cal: BusinessCalendar) -> dt.datetime:
    """`at` itself when inside office hours, else the next moment the office opens."""
    return compute_due(at, 0, Clock.OFFICE, cal).due


def load_national_calendar(years=None) -> list[int]:
    """Copy the chinesecalendar package's holidays and in-lieu working days into CalendarDay for
    the years it covers (2004–2026 in 1.11.0). A year already entered by hand is left alone."""
    import chinese_calendar

    by_year: dict[int, list[tuple[dt.date, str, str]]] = {}
    for date, name in chinese_calendar.holidays.items():
        by_year.setdefault(date.year, []).append((date, DayKind.HOLIDAY, holiday_label(name)))
    for date, name in chinese_calendar.workdays.items():
        by_year.setdefault(date.year, []).append(
            (date, DayKind.WORKDAY, f"{holiday_label(name)} 调休 (in lieu)")
        )
    loaded = []
    for year, entries in sorted(by_year.items()):
        if years is not None and year not in years:
            continue
        existing = CalendarYear.objects.filter(year=year).first()
        if existing is not None and existing.source != CalendarYear.Source.PACKAGE:
            continue
        CalendarDay.objects.filter(store__isnull=True, date__year=year).delete()
        CalendarDay.objects.bulk_create(
            [CalendarDay(store=None, date=d, kind=k, name=n) for d, k, n in sorted(entries)]
        )
        CalendarYear.objects.update_or_create(
            year=year, defaults={"source": CalendarYear.Source.PACKAGE, "note": "chinesecalendar"}
        )
        loaded.append(year)
    return loaded
