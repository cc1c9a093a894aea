"""The scheduled summaries (SPEC §7), run by the deadlines worker on each store's calendar.

Holiday rule: a summary whose day (a Tuesday, the 2nd, the 4th) is not a working day in the
store's calendar goes out on the next working day at 09:00, still covering the period of its own
day (NEXT_WORKING_DAY in deadlines.jobs), so the GM reads it when the office is open. When a
holiday stretch swallows several such days (the National Day week holds both the 2nd and a
Tuesday), the first working day after it sends every summary that fell due inside it.
"""

import datetime as dt

from complaintdesk.deadlines.jobs import NEXT_WORKING_DAY, month_day, register, weekday
from complaintdesk.reports import summaries


def _due_days(store, day: dt.date) -> list[dt.date]:
    """`day` and the non-working days just before it (their summaries were held back)."""
    from complaintdesk.deadlines.policy import store_calendar

    cal = store_calendar(store, years=range(day.year - 1, day.year + 1))
    days = [day]
    probe = day - dt.timedelta(days=1)
    while len(days) < 31 and not cal.is_working_day(probe):
        days.insert(0, probe)
        probe -= dt.timedelta(days=1)
    return days


def feedback_periods(days) -> list[tuple[dt.date, dt.date]]:
    """The 2nd: the previous calendar month. A Tuesday: the 7 local days before it."""
    periods = []
    for d in days:
        if d.day == 2:
            periods.append(summaries.previous_month(d))
        if d.weekday() == 1:
            periods.append((d - dt.timedelta(days=7), d - dt.timedelta(days=1)))
    return periods


@register(
    "feedback_summary",
    days=weekday(1) | month_day(2),
    at=dt.time(9, 0),
    on_non_working_day=NEXT_WORKING_DAY,
)
def feedback_summary(store, day: dt.date):
    for start, end in feedback_periods(_due_days(store, day)):
        summaries.send(summaries.FEEDBACK, store, start, end)


@register(
    "sanctions_summary", days=month_day(4), at=dt.time(9, 0), on_non_working_day=NEXT_WORKING_DAY
)
def sanctions_summary(store, day: dt.date):
    """The 4th: the rewards and penalties entered in the previous month."""
    summaries.send(summaries.SANCTIONS, store, *summaries.previous_month(day))
