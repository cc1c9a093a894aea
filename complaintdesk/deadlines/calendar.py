"""Business-calendar arithmetic: pure functions over plain data, no database.

Three clocks (SPEC §4, §6, §9):
- elapsed: wall-clock hours; nights, weekends and holidays count (SPEC §1: a complaint never waits
  because someone is resting);
- office: only time inside the store's office hours on working days counts;
- workdays: whole working days; the start day is not counted and the deadline is the close of
  office hours on the Nth working day after it (SPEC §9), which is never a non-working day.

A working day is a weekday that is not a holiday, or a day listed as an extra working day (调休,
e.g. a Saturday worked in lieu of a holiday; or a store's own extra day). A day of a year whose
national calendar nobody has entered is judged on the weekday rule alone, and the result is
marked provisional — never a silent guess.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

# The CS center's office hours (SPEC §8): 8:00–11:30 and 14:00–18:00.
DEFAULT_INTERVALS: tuple[tuple[dt.time, dt.time], ...] = (
    (dt.time(8, 0), dt.time(11, 30)),
    (dt.time(14, 0), dt.time(18, 0)),
)
# Safety net against a calendar without any working time (all days closed, no hours).
MAX_DAYS_SCANNED = 3 * 366


class Clock:
    ELAPSED = "elapsed"
    OFFICE = "office"
    WORKDAYS = "workdays"
    ALL = (ELAPSED, OFFICE, WORKDAYS)


@dataclass(frozen=True)
class BusinessCalendar:
    tz: ZoneInfo
    # weekday (0 = Monday) → office intervals in local time; used on any working day,
    # so an in-lieu working Saturday uses Saturday's intervals.
    office_hours: dict[int, tuple[tuple[dt.time, dt.time], ...]] = field(
        default_factory=lambda: dict.fromkeys(range(7), DEFAULT_INTERVALS)
    )
    holidays: dict[dt.date, str] = field(default_factory=dict)  # non-working day → why
    workdays: dict[dt.date, str] = field(default_factory=dict)  # extra working day → why
    known_years: frozenset[int] = frozenset()

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def why_not_working(self, day: dt.date) -> str:
        if day in self.holidays:
            return self.holidays[day]
        return "weekend"

    def covers(self, day: dt.date) -> bool:
        return day.year in self.known_years

    def intervals(self, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
        """The office intervals of a day as aware local datetimes (none on a non-working day)."""
        if not self.is_working_day(day):
            return []
        return [
            (dt.datetime.combine(day, start, self.tz), dt.datetime.combine(day, end, self.tz))
            for start, end in self.office_hours.get(day.weekday(), ())
        ]


@dataclass
class Due:
    """A computed due time with the working that explains it."""

    start: dt.datetime
    clock: str
    amount: float  # hours for elapsed/office, days for workdays
    due: dt.datetime
    provisional: bool = False
    counted: list[tuple[dt.date, float]] = field(default_factory=list)  # day → hours (or 1 day)
    skipped: list[tuple[dt.date, str]] = field(default_factory=list)  # day → reason
    unknown_years: set[int] = field(default_factory=set)

    def as_dict(self) -> dict:
        return {
            "start": self.start.isoformat(),
            "clock": self.clock,
            "amount": self.amount,
            "due": self.due.isoformat(),
            "provisional": self.provisional,
            "counted": [[d.isoformat(), v] for d, v in self.counted],
            "skipped": [[d.isoformat(), why] for d, why in self.skipped],
            "unknown_years": sorted(self.unknown_years),
        }


def _check_aware(value: dt.datetime) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("start must be an aware datetime")


def add_elapsed(start: dt.datetime, hours: float, cal: BusinessCalendar) -> Due:
    _check_aware(start)
    due = (start + dt.timedelta(hours=hours)).astimezone(cal.tz)
    return Due(start=start.astimezone(cal.tz), clock=Clock.ELAPSED, amount=hours, due=due)


def _note_day(result: Due, cal: BusinessCalendar, day: dt.date) -> None:
    if not cal.covers(day):
        result.provisional = True
        result.unknown_years.add(day.year)


def add_office_time(start: dt.datetime, hours: float, cal: BusinessCalendar) -> Due:
    """Count `hours` of office time from `start`. Time before opening or in the lunch break does
    not count; a start after closing begins at the next opening. Zero hours from outside office
    hours is the next opening (the moment someone can act)."""
    _check_aware(start)
    local = start.astimezone(cal.tz)
    result = Due(start=local, clock=Clock.OFFICE, amount=hours, due=local)
    remaining = dt.timedelta(hours=hours)
    day = local.date()
    for _ in range(MAX_DAYS_SCANNED):
        _note_day(result, cal, day)
        intervals = cal.intervals(day)
        if not intervals:
            result.skipped.append((day, cal.why_not_working(day)))
        used = dt.timedelta()
        for open_at, close_at in intervals:
            if close_at <= local:
                continue
            begin = max(open_at, local)
            available = close_at - begin
            if remaining <= available:
                used += remaining
                if used or hours == 0:
                    result.counted.append((day, used.total_seconds() / 3600))
                result.due = begin + remaining
                return result
            remaining -= available
            used += available
        if used:
            result.counted.append((day, used.total_seconds() / 3600))
        day += dt.timedelta(days=1)
    raise ValueError("the calendar has no office time in the next three years")


def add_working_days(start: dt.datetime, days: int, cal: BusinessCalendar) -> Due:
    """SPEC §9: the start day is not counted; the due time is the close of office hours on the
    `days`-th working day after the start day (end of that day if it has no office hours)."""
    _check_aware(start)
    if days < 1:
        raise ValueError("days must be at least 1")
    local = start.astimezone(cal.tz)
    result = Due(start=local, clock=Clock.WORKDAYS, amount=days, due=local)
    _note_day(result, cal, local.date())
    day = local.date()
    counted = 0
    for _ in range(MAX_DAYS_SCANNED):
        day += dt.timedelta(days=1)
        _note_day(result, cal, day)
        if not cal.is_working_day(day):
            result.skipped.append((day, cal.why_not_working(day)))
            continue
        counted += 1
        result.counted.append((day, 1))
        if counted == days:
            intervals = cal.intervals(day)
            result.due = (
                intervals[-1][1]
                if intervals
                else dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), cal.tz)
            )
            return result
    raise ValueError("the calendar has no working day in the next three years")


def compute_due(start: dt.datetime, amount: float, clock: str, cal: BusinessCalendar) -> Due:
    if clock == Clock.ELAPSED:
        return add_elapsed(start, amount, cal)
    if clock == Clock.OFFICE:
        return add_office_time(start, amount, cal)
    if clock == Clock.WORKDAYS:
        return add_working_days(start, int(amount), cal)
    raise ValueError(f"unknown clock {clock!r}")


def office_time_between(
    start: dt.datetime, end: dt.datetime, cal: BusinessCalendar
) -> dt.timedelta:
    """Office time elapsed from start to end (for warnings measured on the deadline's own clock)."""
    if end <= start:
        return dt.timedelta()
    local_start, local_end = start.astimezone(cal.tz), end.astimezone(cal.tz)
    total = dt.timedelta()
    day = local_start.date()
    while day <= local_end.date():
        for open_at, close_at in cal.intervals(day):
            begin, finish = max(open_at, local_start), min(close_at, local_end)
            if finish > begin:
                total += finish - begin
        day += dt.timedelta(days=1)
    return total


def working_days_between(start: dt.datetime, end: dt.datetime, cal: BusinessCalendar) -> float:
    """Working days counted from start (not counted) to end, a partial last day as a fraction of
    its office time."""
    local_start, local_end = start.astimezone(cal.tz), end.astimezone(cal.tz)
    days = 0.0
    day = local_start.date() + dt.timedelta(days=1)
    while day <= local_end.date():
        if cal.is_working_day(day):
            if day < local_end.date():
                days += 1
            else:
                intervals = cal.intervals(day)
                full = sum((c - o for o, c in intervals), dt.timedelta())
                part = office_time_between(
                    dt.datetime.combine(day, dt.time(0), cal.tz), local_end, cal
                )
                days += (part / full) if full else 1
        day += dt.timedelta(days=1)
    return days


HOLIDAY_NAMES_ZH = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


def holiday_label(name: str) -> str:
    zh = HOLIDAY_NAMES_ZH.get(name)
    return f"{zh} {name}" if zh else name
