"""The three-guarantees rules (SPEC §9) on hand-worked vehicle histories at and around each
threshold. Pure: no database. The limits are the 2022 regulation's, typed here by hand."""

import datetime as dt

import pytest

from complaintdesk.warranty.choices import ConditionCode, Position, Standing, ThresholdCode
from complaintdesk.warranty.rules import (
    Limit,
    VehicleFacts,
    Visit,
    add_years,
    evaluate,
    mileage_bounds,
)

D = dt.date
LAW = {
    code: Limit(code, value, f"cite {code}")
    for code, value in {
        ThresholdCode.SANBAO_YEARS: 2,
        ThresholdCode.SANBAO_KM: 50_000,
        ThresholdCode.WARRANTY_YEARS: 3,
        ThresholdCode.WARRANTY_KM: 60_000,
        ThresholdCode.MAJOR_PART_DAYS: 7,
        ThresholdCode.SAFETY_FAILURE_DAYS: 60,
        ThresholdCode.SAFETY_FAILURE_KM: 3_000,
        ThresholdCode.SAFETY_REPAIRS: 2,
        ThresholdCode.ASSEMBLY_REPLACEMENTS: 2,
        ThresholdCode.PART_REPLACEMENTS: 2,
        ThresholdCode.REPAIR_DAYS: 30,
        ThresholdCode.SAME_PROBLEM_REPAIRS: 4,
        ThresholdCode.SINGLE_REPAIR_DAYS: 5,
    }.items()
}
START = D(2025, 3, 1)  # delivery (and invoice) date of the test car
FACTS = VehicleFacts(invoice_date=START, delivery_date=START)


def visit(ro, date_in, date_out="same", km=None, **kw):
    if date_out == "same":
        date_out = date_in
    return Visit(repair_order=ro, date_in=date_in, date_out=date_out, mileage_km=km, **kw)


DEC_1 = D(2025, 12, 1)


def ev(visits=(), *, facts=FACTS, reference=DEC_1, today=DEC_1, limits=LAW):
    return evaluate(facts, visits, limits, reference=reference, today=today)


# --- periods ---------------------------------------------------------------------------------


def test_years_end_on_the_corresponding_day_and_29_february_on_the_28th():
    assert add_years(D(2024, 1, 15), 2) == D(2026, 1, 15)
    assert add_years(D(2024, 2, 29), 2) == D(2026, 2, 28)


def test_mileage_bounds_come_from_readings_before_and_after():
    readings = [(D(2025, 4, 1), 1_000), (D(2025, 6, 1), 5_000)]
    assert mileage_bounds(readings, D(2025, 5, 1)) == (1_000, 5_000)
    assert mileage_bounds(readings, D(2025, 6, 1)) == (5_000, 5_000)
    assert mileage_bounds(readings, D(2025, 7, 1)) == (5_000, None)
    assert mileage_bounds([], D(2025, 7, 1)) == (0, None)


@pytest.mark.parametrize(
    ("reference", "km", "position", "reason"),
    [
        # 三包: 2 years from 2025-03-01 → last day 2027-03-01 (民法典 Art. 202), or 50,000 km.
        (D(2027, 3, 1), 49_000, Position.INSIDE, ""),
        (D(2027, 3, 2), 49_000, Position.OUTSIDE, "days"),
        (D(2026, 6, 1), 50_000, Position.INSIDE, ""),
        (D(2026, 6, 1), 50_001, Position.OUTSIDE, "km"),
    ],
)
def test_sanbao_period_two_years_or_50000_km_whichever_first(reference, km, position, reason):
    facts = VehicleFacts(delivery_date=START, mileage_km=km, mileage_read_on=reference)
    p = ev(facts=facts, reference=reference, today=reference).periods["sanbao"]
    assert (p.position, p.reason) == (position, reason)
    assert p.ends_on == D(2027, 3, 1)


def test_leap_day_start_ends_on_28_february():
    facts = VehicleFacts(
        delivery_date=D(2024, 2, 29), mileage_km=10_000, mileage_read_on=D(2026, 2, 28)
    )
    inside = ev(facts=facts, reference=D(2026, 2, 28), today=D(2026, 2, 28)).periods["sanbao"]
    assert (inside.position, inside.ends_on, inside.days_left) == (
        Position.INSIDE,
        D(2026, 2, 28),
        0,
    )
    facts = VehicleFacts(
        delivery_date=D(2024, 2, 29), mileage_km=10_000, mileage_read_on=D(2026, 3, 1)
    )
    assert (
        ev(facts=facts, reference=D(2026, 3, 1), today=D(2026, 3, 1)).periods["sanbao"].position
        == Position.OUTSIDE
    )


@pytest.mark.parametrize(
    ("reference", "km", "position"),
    [
        # Repair warranty: 3 years from 2025-03-01 → 2028-03-01, or 60,000 km.
        (D(2028, 3, 1), 59_999, Position.INSIDE),
        (D(2028, 3, 2), 10_000, Position.OUTSIDE),
        (D(2027, 1, 1), 60_000, Position.INSIDE),
        (D(2027, 1, 1), 60_001, Position.OUTSIDE),
    ],
)
def test_warranty_period_three_years_or_60000_km(reference, km, position):
    facts = VehicleFacts(delivery_date=START, mileage_km=km, mileage_read_on=reference)
    assert (
        ev(facts=facts, reference=reference, today=reference).periods["warranty"].position
        == position
    )


def test_the_start_is_the_delivery_date_when_it_differs_from_the_invoice():
    facts = VehicleFacts(invoice_date=D(2025, 2, 20), delivery_date=D(2025, 3, 1))
    result = ev(facts=facts, reference=D(2025, 3, 8))
    assert (result.start, result.start_source) == (D(2025, 3, 1), "delivery")
    assert result.periods["major_part"].day == 7
    assert result.notes[0][0] == "delivery_differs"
    only_invoice = ev(facts=VehicleFacts(invoice_date=D(2025, 2, 20)), reference=D(2025, 3, 8))
    assert (only_invoice.start, only_invoice.start_source) == (D(2025, 2, 20), "invoice")


def test_without_invoice_or_delivery_date_nothing_is_said_to_be_fine():
    result = ev(facts=VehicleFacts())
    assert result.start is None
    assert result.standing == Standing.UNKNOWN
    assert {p.position for p in result.periods.values()} == {Position.UNKNOWN}
    assert ("no_start", {}) in result.unknowns
    # Five repairs of the complaint's fault with no start date: cannot tell, never "not met".
    visits = [
        visit(f"RO{n}", D(2025, 4, n), km=1_000 * n, is_complaint_fault=True) for n in range(1, 6)
    ]
    result = ev(visits, facts=VehicleFacts())
    same = result.condition(ConditionCode.SAME_PROBLEM_REPAIRS)
    assert (same.standing, same.count, same.detail["possible"]) == (Standing.UNKNOWN, 0, 5)
    assert result.standing == Standing.UNKNOWN


def test_a_km_limit_without_any_reading_cannot_be_told():
    result = ev(reference=D(2025, 6, 1))
    sanbao = result.periods["sanbao"]
    assert (sanbao.position, sanbao.reason) == (Position.UNKNOWN, "mileage")
    assert result.standing == Standing.UNKNOWN


# --- 7 days: engine, gearbox, traction battery, drive motor (Art. 22) ------------------------


@pytest.mark.parametrize(
    ("date_in", "standing"),
    [
        (D(2025, 3, 1), Standing.MET),  # the delivery day itself: day 0
        (D(2025, 3, 8), Standing.MET),  # day 7: 日内 includes the 7th day
        (D(2025, 3, 9), Standing.NOT_MET),  # day 8
    ],
)
def test_engine_replaced_within_7_days(date_in, standing):
    v = visit("RO1", date_in, km=300, system="engine", assembly_replaced=True)
    assert ev([v]).condition(ConditionCode.MAJOR_PART_EARLY).standing == standing


def test_gearbox_main_part_within_7_days_and_an_open_engine_repair_is_close():
    parts = visit("RO1", D(2025, 3, 5), km=200, system="gearbox", parts=("阀体",))
    assert ev([parts]).condition(ConditionCode.MAJOR_PART_EARLY).standing == Standing.MET
    open_repair = visit("RO2", D(2025, 3, 5), None, km=200, system="engine")
    result = ev([open_repair], today=D(2025, 3, 6))
    assert result.condition(ConditionCode.MAJOR_PART_EARLY).standing == Standing.CLOSE
    # A brake repair in the first week is not an Art. 22 case.
    brakes = visit("RO3", D(2025, 3, 5), km=200, system="brakes", parts=("刹车片",))
    assert ev([brakes]).condition(ConditionCode.MAJOR_PART_EARLY).standing == Standing.NOT_MET


# --- 60 days or 3,000 km, whichever first (Art. 23) --------------------------------------------


@pytest.mark.parametrize(
    ("day", "km", "standing"),
    [
        (59, 3_100, Standing.NOT_MET),  # the km ran out first
        (61, 2_000, Standing.NOT_MET),  # the days ran out first
        (60, 2_999, Standing.MET),
        (60, 3_000, Standing.MET),  # 3000公里之内 includes 3,000 km
        (60, 3_001, Standing.NOT_MET),
        (0, 15, Standing.MET),
    ],
)
def test_brake_failure_within_60_days_or_3000_km(day, km, standing):
    v = visit("RO1", START + dt.timedelta(days=day), km=km, system="brakes", serious_safety=True)
    c = ev([v]).condition(ConditionCode.SAFETY_FAILURE_EARLY)
    assert c.standing == standing
    assert c.detail["day"] == day


def test_a_mistyped_mileage_makes_the_window_unknown_not_a_false_outside():
    """Brake failure on day 41 (2025-04-11) typed as 30,000 km; the vehicle read 9,000 km on
    2025-06-01. Odometers only go up, so one of the two is wrong: taken at its word the typo
    would put the failure outside 3,000 km (condition not met, no flag) — it must be "cannot
    tell", and a note names both readings. Corrected to 1,500 km, the failure is inside: met.
    A disagreement that cannot change a side of a limit (4,500 then 4,200 km against 50,000) only
    gets the note."""
    facts = VehicleFacts(
        invoice_date=START, delivery_date=START, mileage_km=9_000, mileage_read_on=D(2025, 6, 1)
    )
    day_41 = START + dt.timedelta(days=41)
    typo = visit("RO1", day_41, km=30_000, system="brakes", serious_safety=True)
    e = ev([typo], facts=facts)
    c = e.condition(ConditionCode.SAFETY_FAILURE_EARLY)
    assert (c.standing, c.reason) == (Standing.UNKNOWN, "mileage_conflict")
    assert e.notes[-1] == (
        "mileage_conflict",
        {
            "earlier_source": "RO1",
            "earlier_date": day_41,
            "earlier_km": 30_000,
            "later_source": "",
            "later_date": D(2025, 6, 1),
            "later_km": 9_000,
        },
    )
    assert e.standing == Standing.UNKNOWN
    fixed = visit("RO1", day_41, km=1_500, system="brakes", serious_safety=True)
    e = ev([fixed], facts=facts)
    assert e.condition(ConditionCode.SAFETY_FAILURE_EARLY).standing == Standing.MET
    assert not [n for n in e.notes if n[0] == "mileage_conflict"]
    small = [
        visit("RO1", START + dt.timedelta(days=100), km=4_500),
        visit("RO2", START + dt.timedelta(days=200), km=4_200),
    ]
    read = VehicleFacts(
        invoice_date=START, delivery_date=START, mileage_km=6_000, mileage_read_on=DEC_1
    )
    e = ev(small, facts=read)
    assert e.notes[-1][0] == "mileage_conflict" and e.standing == Standing.NOT_MET
    days = e.condition(ConditionCode.REPAIR_DAYS)
    assert (days.standing, days.count) == (Standing.NOT_MET, 2)  # both visits inside 三包
    # Found by a fresh-user test: the contradicting reading may lie before the date asked about.
    # 52,000 km on 2025-03-31, 20,000 km read on 2025-11-28, complaint on 2025-12-01: with
    # 52,000 right the car is past 50,000 (outside 三包), with it a typo about 20,000 — inside
    # or not cannot be told without a reading after the complaint.
    late = VehicleFacts(
        invoice_date=START, delivery_date=START, mileage_km=20_000, mileage_read_on=D(2025, 11, 28)
    )
    p = ev([visit("RO1", START + dt.timedelta(days=30), km=52_000)], facts=late).periods["sanbao"]
    assert (p.position, p.reason) == (Position.UNKNOWN, "mileage_conflict")
    # Two visits of the same day may read differently (in, then out): no conflict.
    same_day = [visit("RO1", day_41, km=1_500), visit("RO2", day_41, km=1_480)]
    assert not [n for n in ev(same_day, facts=facts).notes if n[0] == "mileage_conflict"]


def test_60_day_window_without_mileage_cannot_be_told_and_reference_period():
    v = visit("RO1", START + dt.timedelta(days=30), km=None, system="steering", serious_safety=True)
    assert ev([v]).condition(ConditionCode.SAFETY_FAILURE_EARLY).standing == Standing.UNKNOWN
    facts = VehicleFacts(delivery_date=START, mileage_km=2_999, mileage_read_on=D(2025, 4, 30))
    # 2025-04-30 is day 60 after 2025-03-01.
    window = ev(facts=facts, reference=D(2025, 4, 30)).periods["safety_failure"]
    assert (window.position, window.day, window.km_left) == (Position.INSIDE, 60, 1)
    facts = VehicleFacts(delivery_date=START, mileage_km=2_000, mileage_read_on=D(2025, 5, 1))
    window = ev(facts=facts, reference=D(2025, 5, 1)).periods["safety_failure"]
    assert (window.position, window.day, window.reason) == (Position.OUTSIDE, 61, "days")
    # A serious safety fault of a system Art. 23 does not name (e.g. suspension) is not one.
    v = visit(
        "RO2", START + dt.timedelta(days=10), km=500, system="suspension", serious_safety=True
    )
    assert ev([v]).condition(ConditionCode.SAFETY_FAILURE_EARLY).standing == Standing.NOT_MET


# --- the same problem repaired more than 4 times (Art. 24(4)) ---------------------------------


def same_problem(n, **kw):
    return [
        visit(f"RO{i}", D(2025, 4 + i, 10), km=2_000 * i, is_complaint_fault=True, **kw)
        for i in range(1, n + 1)
    ]


def test_4_repairs_of_the_same_problem_are_close_the_5th_meets_it():
    four = ev(same_problem(4)).condition(ConditionCode.SAME_PROBLEM_REPAIRS)
    assert (four.standing, four.count, four.limit) == (Standing.CLOSE, 4, 4)
    five = ev(same_problem(5))
    c = five.condition(ConditionCode.SAME_PROBLEM_REPAIRS)
    assert (c.standing, c.count) == (Standing.MET, 5)
    assert [m.code for m in five.met] == [ConditionCode.SAME_PROBLEM_REPAIRS]
    assert five.standing == Standing.MET
    three = ev(same_problem(3)).condition(ConditionCode.SAME_PROBLEM_REPAIRS)
    assert three.standing == Standing.NOT_MET


def test_a_5th_repair_still_open_counts_and_other_faults_do_not():
    visits = same_problem(4) + [
        visit("RO5", D(2025, 11, 28), None, km=11_000, is_complaint_fault=True)
    ]
    assert ev(visits).condition(ConditionCode.SAME_PROBLEM_REPAIRS).standing == Standing.MET
    other = same_problem(4) + [visit("RO9", D(2025, 11, 1), km=11_000)]
    assert ev(other).condition(ConditionCode.SAME_PROBLEM_REPAIRS).count == 4
    maintenance = same_problem(4) + [
        visit("RO8", D(2025, 11, 1), km=11_000, is_complaint_fault=True, kind="maintenance")
    ]
    assert ev(maintenance).condition(ConditionCode.SAME_PROBLEM_REPAIRS).count == 4


def test_repairs_after_the_sanbao_period_do_not_count():
    visits = same_problem(4) + [
        visit("RO5", D(2027, 3, 2), km=40_000, is_complaint_fault=True)  # the day after it ends
    ]
    c = ev(visits, reference=D(2027, 3, 5), today=D(2027, 3, 5)).condition(
        ConditionCode.SAME_PROBLEM_REPAIRS
    )
    assert (c.standing, c.count) == (Standing.CLOSE, 4)


# --- cumulative repair days over 30 (Art. 24(4)) -----------------------------------------------


def three_day_visits(n):
    """In 09:00 on day 1, out 17:00 on day 3 = 3 repair days each, a week apart."""
    first = D(2025, 4, 1)
    return [
        visit(
            f"RO{i}",
            first + dt.timedelta(days=7 * i),
            first + dt.timedelta(days=7 * i + 2),
            km=1_000 + 500 * i,
        )
        for i in range(n)
    ]


def test_30_repair_days_are_not_enough_31_are():
    thirty = ev(three_day_visits(10)).condition(ConditionCode.REPAIR_DAYS)
    assert (thirty.standing, thirty.count) == (Standing.CLOSE, 30)
    # One more visit in and out on the same day: less than 24 hours counts as a whole day.
    same_day = visit("RO99", D(2025, 9, 1), km=8_000)
    c = ev([*three_day_visits(10), same_day]).condition(ConditionCode.REPAIR_DAYS)
    assert (c.standing, c.count) == (Standing.MET, 31)


def test_overlapping_visits_count_a_day_once_and_excluded_days_are_subtracted():
    overlap = visit("RO98", D(2025, 4, 3), D(2025, 4, 4), km=1_100)  # shares 4-03 with RO0
    c = ev([*three_day_visits(10), overlap]).condition(ConditionCode.REPAIR_DAYS)
    assert c.count == 31
    waiting = visit("RO97", D(2025, 9, 1), km=8_000, excluded_days=1)
    c = ev([*three_day_visits(10), waiting]).condition(ConditionCode.REPAIR_DAYS)
    assert (c.standing, c.count) == (Standing.CLOSE, 30)


def test_an_open_repair_counts_up_to_today():
    visits = [*three_day_visits(9), visit("RO50", D(2025, 11, 27), None, km=9_000)]
    # 27 days + 27, 28, 29, 30 November and 1 December (5 started days) = 32.
    c = ev(visits, today=D(2025, 12, 1)).condition(ConditionCode.REPAIR_DAYS)
    assert (c.standing, c.count) == (Standing.MET, 32)
    c = ev(visits, today=D(2025, 11, 29)).condition(ConditionCode.REPAIR_DAYS)
    assert (c.standing, c.count) == (Standing.CLOSE, 30)


# --- serious safety fault after 2 repairs (Art. 24(1)) ------------------------------------------


def safety_repair(ro, day, fault=False):
    return visit(
        ro,
        D(2025, 5, day),
        D(2025, 5, day + 1),
        km=5_000 + day,
        system="brakes",
        serious_safety=True,
        is_complaint_fault=fault,
    )


def test_serious_safety_fault_after_two_repairs():
    one = ev([safety_repair("RO1", 1)]).condition(ConditionCode.SAFETY_REPAIRS)
    assert (one.standing, one.count) == (Standing.CLOSE, 1)
    # Two repairs, but nothing says the fault came back: close, not met.
    two = ev([safety_repair("RO1", 1), safety_repair("RO2", 10)]).condition(
        ConditionCode.SAFETY_REPAIRS
    )
    assert (two.standing, two.count, two.reason) == (Standing.CLOSE, 2, "persistence_unknown")
    # This complaint (received later, at 9,000 km) is about that fault: it persists.
    read = VehicleFacts(delivery_date=START, mileage_km=9_000, mileage_read_on=D(2025, 12, 1))
    about = ev([safety_repair("RO1", 1, True), safety_repair("RO2", 10, True)], facts=read)
    assert about.condition(ConditionCode.SAFETY_REPAIRS).standing == Standing.MET
    # Without a mileage reading on the complaint's day, it may lie past 50,000 km: cannot tell.
    unread = ev([safety_repair("RO1", 1, True), safety_repair("RO2", 10, True)])
    assert unread.condition(ConditionCode.SAFETY_REPAIRS).standing == Standing.UNKNOWN
    # A third serious-safety visit after the second repair shows it too.
    third = ev([safety_repair("RO1", 1), safety_repair("RO2", 10), safety_repair("RO3", 20)])
    assert third.condition(ConditionCode.SAFETY_REPAIRS).standing == Standing.MET


def test_a_complaint_received_before_the_second_repair_finished_is_no_evidence():
    visits = [safety_repair("RO1", 1, True), safety_repair("RO2", 10, True)]
    c = ev(visits, reference=D(2025, 5, 10)).condition(ConditionCode.SAFETY_REPAIRS)
    assert c.standing == Standing.CLOSE


# --- the same assembly / main part replaced twice (Art. 24(2), (3)) ------------------------------


def test_same_main_part_replaced_twice_and_still_faulty():
    first = visit("RO1", D(2025, 5, 1), km=4_000, system="brakes", parts=("前刹车片", "刹车盘"))
    second = visit("RO2", D(2025, 6, 1), km=6_000, system="brakes", parts=("前刹车片",))
    c = ev([first, second]).condition(ConditionCode.PART_REPLACEMENTS)
    assert (c.standing, c.count, c.detail["part"]) == (Standing.CLOSE, 2, "前刹车片")
    back = visit("RO3", D(2025, 7, 1), None, km=7_000, system="brakes")
    c = ev([first, second, back]).condition(ConditionCode.PART_REPLACEMENTS)
    assert (c.standing, c.count) == (Standing.MET, 2)
    # The same part name on another system is another part.
    other = visit("RO4", D(2025, 6, 1), km=6_000, system="suspension", parts=("前刹车片",))
    c = ev([first, other, back]).condition(ConditionCode.PART_REPLACEMENTS)
    assert (c.standing, c.count) == (Standing.CLOSE, 1)


def test_a_part_replaced_twice_without_a_system_cannot_be_told():
    visits = [
        visit("RO1", D(2025, 5, 1), km=4_000, parts=("控制模块",)),
        visit("RO2", D(2025, 6, 1), km=6_000, parts=("控制模块",)),
    ]
    result = ev(visits)
    c = result.condition(ConditionCode.PART_REPLACEMENTS)
    assert (c.standing, c.reason) == (Standing.UNKNOWN, "no_system")
    assert ("part_without_system", {"part": "控制模块", "count": 2}) in result.unknowns


def test_gearbox_replaced_twice_and_this_complaint_is_about_it():
    visits = [
        visit(
            "RO1", D(2025, 5, 1), D(2025, 5, 4), km=4_000, system="gearbox", assembly_replaced=True
        ),
        visit(
            "RO2", D(2025, 8, 1), D(2025, 8, 5), km=8_000, system="gearbox", assembly_replaced=True
        ),
    ]
    c = ev(visits).condition(ConditionCode.ASSEMBLY_REPLACEMENTS)
    assert (c.standing, c.count, c.detail["system"]) == (Standing.CLOSE, 2, "gearbox")
    visits.append(
        visit("RO3", D(2025, 11, 20), km=11_000, system="gearbox", is_complaint_fault=True)
    )
    c = ev(visits).condition(ConditionCode.ASSEMBLY_REPLACEMENTS)
    assert c.standing == Standing.MET


# --- a single repair over 5 days: substitute car from day 6 (Art. 20) ---------------------------


@pytest.mark.parametrize(
    ("today", "day", "standing"),
    [
        (D(2025, 11, 14), 5, Standing.CLOSE),
        (D(2025, 11, 15), 6, Standing.MET),
        (D(2025, 11, 12), 3, Standing.NOT_MET),
    ],
)
def test_open_repair_day_5_vs_day_6(today, day, standing):
    v = visit("RO1", D(2025, 11, 10), None, km=9_000)
    (repair,) = ev([v], reference=D(2025, 11, 10), today=today).open_repairs
    assert (repair.day, repair.standing, repair.substitute_from) == (day, standing, D(2025, 11, 15))


def test_no_substitute_car_outside_the_warranty_period():
    v = visit("RO1", D(2028, 5, 1), None, km=70_000)
    (repair,) = ev([v], reference=D(2028, 5, 1), today=D(2028, 5, 10)).open_repairs
    assert (repair.day, repair.standing) == (10, Standing.NOT_MET)


# --- thresholds are data ---------------------------------------------------------------------


def test_other_limits_give_other_answers_and_a_missing_one_cannot_be_told():
    stricter = {
        **LAW,
        ThresholdCode.SAME_PROBLEM_REPAIRS: Limit(ThresholdCode.SAME_PROBLEM_REPAIRS, 3, "x"),
    }
    assert (
        ev(same_problem(4), limits=stricter).condition(ConditionCode.SAME_PROBLEM_REPAIRS).standing
        == Standing.MET
    )
    missing = {k: v for k, v in LAW.items() if k != ThresholdCode.REPAIR_DAYS}
    result = ev(same_problem(1), limits=missing)
    assert result.condition(ConditionCode.REPAIR_DAYS).standing == Standing.UNKNOWN
    assert ("threshold_missing", {"code": ThresholdCode.REPAIR_DAYS}) in result.unknowns
