"""Hand-worked due times on the three clocks (SPEC §9 counting rules; 2026 State Council calendar)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from complaintdesk.deadlines.calendar import (
    BusinessCalendar,
    add_elapsed,
    add_office_time,
    add_working_days,
    office_time_between,
)

SH = ZoneInfo("Asia/Shanghai")

# The 2026 national calendar, written out by hand from the State Council notice (not read from the
# chinesecalendar package, so that these tests check our loader too when compared below).
HOLIDAYS_2026 = {
    **{dt.date(2026, 1, d): "New Year's Day" for d in (1, 2, 3)},
    **{dt.date(2026, 2, d): "Spring Festival" for d in range(15, 24)},
    **{dt.date(2026, 4, d): "Tomb-sweeping Day" for d in (4, 5, 6)},
    **{dt.date(2026, 5, d): "Labour Day" for d in range(1, 6)},
    **{dt.date(2026, 6, d): "Dragon Boat Festival" for d in (19, 20, 21)},
    **{dt.date(2026, 9, d): "Mid-autumn Festival" for d in (25, 26, 27)},
    **{dt.date(2026, 10, d): "National Day" for d in range(1, 8)},
}
WORKDAYS_2026 = {
    d: "in-lieu working day"
    for d in (
        dt.date(2026, 1, 4),
        dt.date(2026, 2, 14),
        dt.date(2026, 2, 28),
        dt.date(2026, 5, 9),
        dt.date(2026, 9, 20),
        dt.date(2026, 10, 10),
    )
}
CAL = BusinessCalendar(
    tz=SH, holidays=HOLIDAYS_2026, workdays=WORKDAYS_2026, known_years=frozenset({2026})
)


def at(y, m, d, hh, mm=0):
    return dt.datetime(y, m, d, hh, mm, tzinfo=SH)


def test_hand_calendar_matches_the_package():
    import chinese_calendar

    assert {d for d in chinese_calendar.holidays if d.year == 2026} == set(HOLIDAYS_2026)
    assert {d for d in chinese_calendar.workdays if d.year == 2026} == set(WORKDAYS_2026)


@pytest.mark.parametrize(
    ("start", "hours", "due"),
    [
        # Inside the morning block.
        (at(2026, 12, 3, 9, 0), 1, at(2026, 12, 3, 10, 0)),
        # 11:20 on a Thursday: 10 min before lunch, 50 min after 14:00.
        (at(2026, 12, 3, 11, 20), 1, at(2026, 12, 3, 14, 50)),
        # During the lunch break: counting starts at 14:00.
        (at(2026, 12, 3, 12, 30), 1, at(2026, 12, 3, 15, 0)),
        # Exactly filling the morning block ends at 11:30, not 14:00.
        (at(2026, 12, 3, 10, 30), 1, at(2026, 12, 3, 11, 30)),
        # 17:50 on Friday 2026-12-04: 10 min, then Monday 08:00 + 50 min.
        (at(2026, 12, 4, 17, 50), 1, at(2026, 12, 7, 8, 50)),
        # Before opening.
        (at(2026, 12, 3, 6, 0), 1, at(2026, 12, 3, 9, 0)),
        # 17:40 on Wednesday 2026-09-30, the day before National Day: 20 min, then Thursday
        # 2026-10-08 (the first working day after the 1–7 October holiday) 08:40.
        (at(2026, 9, 30, 17, 40), 1, at(2026, 10, 8, 8, 40)),
        # Saturday 2026-02-14 is an in-lieu working day, the last before the Spring Festival
        # (15–23 February): 20 min that Saturday, then Tuesday 2026-02-24 08:40.
        (at(2026, 2, 14, 17, 40), 1, at(2026, 2, 24, 8, 40)),
        # On a holiday (2026-10-03): nothing counts until 2026-10-08 08:00.
        (at(2026, 10, 3, 10, 0), 2, at(2026, 10, 8, 10, 0)),
        # 08:00 Shanghai is 00:00 UTC: a start given in UTC just after midnight is 08:05 local.
        (dt.datetime(2026, 12, 3, 0, 5, tzinfo=dt.UTC), 1, at(2026, 12, 3, 9, 5)),
        # Across the previous UTC day: 2026-12-02 23:00 UTC is 07:00 Thursday in Shanghai.
        (dt.datetime(2026, 12, 2, 23, 0, tzinfo=dt.UTC), 1, at(2026, 12, 3, 9, 0)),
        # 8 office hours = one full day (3.5 h + 4 h) + 0.5 h.
        (at(2026, 12, 3, 8, 0), 8, at(2026, 12, 4, 8, 30)),
    ],
)
def test_office_time(start, hours, due):
    result = add_office_time(start, hours, CAL)
    assert result.due == due
    assert result.provisional is False


def test_office_time_explains_skipped_days():
    result = add_office_time(at(2026, 9, 30, 17, 40), 1, CAL)
    assert result.counted == [
        (dt.date(2026, 9, 30), pytest.approx(1 / 3)),
        (dt.date(2026, 10, 8), pytest.approx(2 / 3)),
    ]
    assert result.skipped == [(dt.date(2026, 10, d), "National Day") for d in range(1, 8)]


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        # Thursday: Fri, Mon, Tue → Tuesday's close of office.
        (at(2026, 12, 3, 10, 0), 3, at(2026, 12, 8, 18, 0)),
        # On a holiday (2026-10-03): the start day is not counted, 8, 9, 10 (in-lieu Saturday).
        (at(2026, 10, 3, 10, 0), 3, at(2026, 10, 10, 18, 0)),
        # Friday 2026-02-13: 14 (in-lieu Saturday), then 24, 25.
        (at(2026, 2, 13, 16, 0), 3, at(2026, 2, 25, 18, 0)),
        # 7 working days for the consumer notice from Monday 2026-09-28: 29, 30, 8, 9, 10, 12, 13.
        (at(2026, 9, 28, 9, 0), 7, at(2026, 10, 13, 18, 0)),
        # Late evening counts as its day: the next working day is the first counted.
        (at(2026, 12, 3, 23, 30), 1, at(2026, 12, 4, 18, 0)),
    ],
)
def test_working_days(start, days, due):
    assert add_working_days(start, days, CAL).due == due


def test_elapsed_hours_ignore_calendar():
    assert add_elapsed(at(2026, 9, 30, 17, 40), 1, CAL).due == at(2026, 9, 30, 18, 40)
    assert add_elapsed(at(2026, 9, 30, 17, 40), 24, CAL).due == at(2026, 10, 1, 17, 40)


def test_unknown_year_is_provisional_on_the_weekday_rule():
    result = add_working_days(at(2026, 12, 30, 10, 0), 3, CAL)
    # 31 Dec (Thu), then 1 and 4 January 2027 on the weekday rule (no 2027 calendar entered).
    assert result.due == at(2027, 1, 4, 18, 0)
    assert result.provisional is True
    assert result.unknown_years == {2027}
    office = add_office_time(at(2026, 12, 31, 17, 30), 1, CAL)
    assert office.due == at(2027, 1, 1, 8, 30)
    assert office.provisional is True


def test_store_extra_working_day_and_closure():
    cal = BusinessCalendar(
        tz=SH,
        holidays={**HOLIDAYS_2026, dt.date(2026, 12, 7): "store closure: stocktaking"},
        workdays={**WORKDAYS_2026, dt.date(2026, 12, 5): "store open day"},
        known_years=frozenset({2026}),
    )
    # Friday 17:50 → Saturday (extra day) 08:50.
    assert add_office_time(at(2026, 12, 4, 17, 50), 1, cal).due == at(2026, 12, 5, 8, 50)
    # Saturday 17:50 → Monday is closed → Tuesday 08:50.
    result = add_office_time(at(2026, 12, 5, 17, 50), 1, cal)
    assert result.due == at(2026, 12, 8, 8, 50)
    assert (dt.date(2026, 12, 7), "store closure: stocktaking") in result.skipped


def test_office_time_between_counts_only_open_time():
    assert office_time_between(at(2026, 12, 3, 11, 0), at(2026, 12, 3, 15, 0), CAL) == dt.timedelta(
        hours=1, minutes=30
    )
    assert office_time_between(at(2026, 12, 4, 17, 0), at(2026, 12, 7, 9, 0), CAL) == dt.timedelta(
        hours=2
    )


def test_naive_start_is_refused():
    with pytest.raises(ValueError):
        add_office_time(dt.datetime(2026, 12, 3, 9, 0), 1, CAL)  # noqa: DTZ001
