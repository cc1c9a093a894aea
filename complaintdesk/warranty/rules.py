"""Where a vehicle stands against the three guarantees (三包, SPEC §9): pure functions over plain
data, no database. Every number comes in as a `Limit` (WarrantyThreshold rows), never a constant.

The rule: 家用汽车产品修理更换退货责任规定 (国家市场监督管理总局令第43号, in force 2022-01-01),
cited below as "Art. n". How we read it — each reading is tested by hand-worked histories in
tests/test_rules.py:

- Start (Art. 18): the periods run from the purchase invoice date; when the delivery date differs,
  from the delivery date. So: the delivery date if recorded, else the invoice date; neither → the
  start is unknown and every period and condition that needs it says "cannot tell", never "fine".
- Counting days (民法典 Art. 201): the start day is not counted, the next day is day 1. "Within 7
  days" / "within 60 days" (日内) include day 7 / day 60 (民法典 Art. 1259: 以内 includes the number).
  A fault found on the start day itself (day 0) is inside.
- Years (民法典 Art. 202): a 2-year period ends on the same month and day two years later (a
  29 February start ends on 28 February); that last day is inside.
- Kilometres (Art. 18, 23: 以先到者为准, whichever comes first): the odometer reading; a limit is
  inclusive (3,000 km is inside, 3,001 km outside). A period is over as soon as either the days or
  the km are past. The km at a date is known from readings (the vehicle's last reading and each
  visit's mileage): the odometer only grows, so a reading on or before the date is a lower bound
  and one on or after it an upper bound; without a bound that decides, the position is unknown.
- Repair days (Art. 24(4), SPEC §9 "a repair day is any started day"): every calendar day a car
  spends in the workshop counts, the day in and the day out included (in 09:00 day 1, out 17:00
  day 3 = 3 days; in and out the same day = 1 day, which is also the regulation's "less than 24
  hours counts as 1 day"). A day shared by two overlapping visits counts once. A still-open visit
  counts up to today. Days a visit records as excluded (Art. 24 para. 2: transport of parts made to
  order for the VIN, travel of a roadside rescue) are subtracted. Only quality repairs count
  (因质量问题): maintenance and accident work do not.
- "More than" (超过) is strict: 31 repair days exceed 30, the 5th repair of the same problem exceeds
  4 (4 repairs are not enough: the condition is met once a 5th repair is recorded, open or
  finished, inside the 三包 period). "Cumulatively 2 repairs / 2 replacements ... and still
  faulty" (Art. 24(1)–(3)): 2 finished ones, then evidence that the fault persists: a later visit
  for it, or this complaint (received on or after the 2nd was finished) being about it.
- A repair counts for a 三包 condition when its day in (and mileage) lies inside the 三包 period.
- Substitute car (Art. 20, inside the repair-warranty period): a single repair over 5 days — from
  day 6, counting the day in as day 1, waiting for parts included.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import groupby
from operator import itemgetter

from complaintdesk.warranty.choices import (
    MAIN_PART_SYSTEMS,
    MAJOR_ASSEMBLIES,
    SIXTY_DAY_SYSTEMS,
    ConditionCode,
    Position,
    Standing,
    ThresholdCode,
    VisitKind,
)

# Presentation only (amber in the panel), not law: cumulative repair days are "close" from this
# share of the limit on. Count conditions are "close" one repair / replacement short.
CLOSE_SHARE = 0.8

# Which standing wins when a condition is judged over several groups (systems, parts, visits).
_SEVERITY = {Standing.MET: 3, Standing.UNKNOWN: 2, Standing.CLOSE: 1, Standing.NOT_MET: 0}


@dataclass(frozen=True)
class Limit:
    code: str
    value: int | None
    citation: str = ""
    store_value: bool = False  # the store's own (more generous) value, not the law's


Limits = dict  # ThresholdCode -> Limit


@dataclass(frozen=True)
class VehicleFacts:
    invoice_date: dt.date | None = None
    delivery_date: dt.date | None = None
    mileage_km: int | None = None
    mileage_read_on: dt.date | None = None


@dataclass(frozen=True)
class Visit:
    repair_order: str
    date_in: dt.date
    date_out: dt.date | None = None
    mileage_km: int | None = None
    kind: str = VisitKind.QUALITY
    system: str = ""
    parts: tuple[str, ...] = ()
    assembly_replaced: bool = False
    serious_safety: bool = False
    is_complaint_fault: bool = False
    excluded_days: int = 0
    id: int | None = None

    @property
    def is_quality(self) -> bool:
        return self.kind == VisitKind.QUALITY

    def last_day(self, today: dt.date) -> dt.date:
        return self.date_out or today

    def days(self, today: dt.date) -> int:
        """Started calendar days in the workshop, the day in and the day out included."""
        return max(0, (self.last_day(today) - self.date_in).days + 1)


@dataclass(frozen=True)
class PeriodStanding:
    """One period against a date: inside, outside or cannot tell, with the numbers."""

    code: str
    position: str
    reason: str = (
        ""  # why: days / km (which came first) / no_start / mileage / no_limit / before_start
    )
    day: int | None = None  # day number of the date; the start day is day 0
    ends_on: dt.date | None = None
    days_left: int | None = None
    km_low: int | None = None
    km_high: int | None = None
    km_limit: int | None = None

    @property
    def km_left(self) -> int | None:
        if self.km_limit is None or self.km_high is None:
            return None
        return self.km_limit - self.km_high


@dataclass(frozen=True)
class ConditionStanding:
    code: str
    standing: str
    count: int | None = None
    limit: int | None = None
    citation: str = ""
    reason: str = ""
    repair_orders: tuple[str, ...] = ()
    detail: dict = field(default_factory=dict)

    def numbers(self) -> dict:
        return {
            "count": self.count,
            "limit": self.limit,
            "reason": self.reason,
            "repair_orders": list(self.repair_orders),
            **self.detail,
        }


@dataclass(frozen=True)
class OpenRepair:
    repair_order: str
    date_in: dt.date
    day: int  # today is this day of the repair (the day in is day 1)
    limit: int | None
    substitute_from: dt.date | None  # the first day a substitute car is owed
    standing: str
    citation: str = ""
    warranty_position: str = Position.UNKNOWN


@dataclass(frozen=True)
class Evaluation:
    reference: dt.date
    today: dt.date
    start: dt.date | None
    start_source: str  # "delivery", "invoice" or ""
    periods: dict[str, PeriodStanding]
    conditions: list[ConditionStanding]
    open_repairs: list[OpenRepair]
    repair_days: int
    same_problem_repairs: int
    safety_repairs: int
    unknowns: list[tuple[str, dict]]
    notes: list[tuple[str, dict]]

    @property
    def met(self) -> list[ConditionStanding]:
        return [c for c in self.conditions if c.standing == Standing.MET]

    def condition(self, code: str) -> ConditionStanding:
        return next(c for c in self.conditions if c.code == code)

    @property
    def standing(self) -> str:
        """met if any condition is met; else unknown if anything could not be told (no start
        date, a missing threshold, a position without mileage); else close; else not met."""
        states = {c.standing for c in self.conditions}
        if Standing.MET in states:
            return Standing.MET
        if Standing.UNKNOWN in states or self.start is None or self.unknowns:
            return Standing.UNKNOWN
        if Standing.CLOSE in states:
            return Standing.CLOSE
        return Standing.NOT_MET


# ---------------------------------------------------------------------------------------------
# Dates and kilometres.


def add_years(start: dt.date, years: int) -> dt.date:
    """民法典 Art. 202: the corresponding day; without one (29 February), the month's last day."""
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        return start.replace(year=start.year + years, day=28)


def warranty_start(facts: VehicleFacts) -> tuple[dt.date | None, str]:
    """Art. 18: from the invoice date; from the delivery date when the two differ."""
    if facts.delivery_date is not None:
        return facts.delivery_date, "delivery"
    if facts.invoice_date is not None:
        return facts.invoice_date, "invoice"
    return None, ""


def readings_of(facts: VehicleFacts, visits: Iterable[Visit]) -> list[tuple[dt.date, int]]:
    readings = [(v.date_in, v.mileage_km) for v in visits if v.mileage_km is not None]
    if facts.mileage_km is not None and facts.mileage_read_on is not None:
        readings.append((facts.mileage_read_on, facts.mileage_km))
    return readings


def mileage_conflicts(facts: VehicleFacts, visits: Iterable[Visit], most: int = 3) -> list[dict]:
    """Readings that cannot all be right: odometers only go up, so a reading lower than one
    taken earlier means one of the two was mistyped. Each pair once (at most `most`), the later
    reading with the highest earlier one it contradicts; source is a repair order or ""
    (the vehicle's own reading)."""
    labelled = [
        (v.date_in, v.mileage_km, v.repair_order) for v in visits if v.mileage_km is not None
    ]
    if facts.mileage_km is not None and facts.mileage_read_on is not None:
        labelled.append((facts.mileage_read_on, facts.mileage_km, ""))
    labelled.sort(key=lambda r: (r[0], r[1]))
    found = []
    for i, (day, km, source) in enumerate(labelled):
        earlier = [r for r in labelled[:i] if r[0] < day and r[1] > km]
        if earlier:
            e_day, e_km, e_source = max(earlier, key=lambda r: r[1])
            found.append(
                {
                    "earlier_source": e_source,
                    "earlier_date": e_day,
                    "earlier_km": e_km,
                    "later_source": source,
                    "later_date": day,
                    "later_km": km,
                }
            )
    return found[:most]


def mileage_bounds(readings: Sequence[tuple[dt.date, int]], on: dt.date) -> tuple[int, int | None]:
    """The odometer at a date as (at least, at most); at most is None when no reading on or after
    the date bounds it."""
    low = max((km for day, km in readings if day <= on), default=0)
    high = min((km for day, km in readings if day >= on), default=None)
    return low, high


def period_position(
    code: str,
    start: dt.date | None,
    on: dt.date,
    *,
    days: int | None = None,
    years: int | None = None,
    uses_km: bool = False,
    km_limit: int | None = None,
    readings: Sequence[tuple[dt.date, int]] = (),
) -> PeriodStanding:
    """Is `on` (with the odometer then) inside the period that starts at `start`?"""
    if start is None:
        low, high = mileage_bounds(readings, on)
        return PeriodStanding(
            code, Position.UNKNOWN, "no_start", km_low=low, km_high=high, km_limit=km_limit
        )
    if (days is None and years is None) or (uses_km and km_limit is None):
        return PeriodStanding(code, Position.UNKNOWN, "no_limit")
    ends_on = start + dt.timedelta(days=days) if days is not None else add_years(start, years)
    day = (on - start).days  # 民法典 Art. 201: the start day is day 0
    low, high = mileage_bounds(readings, on) if uses_km else (None, None)
    common = {"day": day, "ends_on": ends_on, "km_low": low, "km_high": high, "km_limit": km_limit}
    if on < start:
        return PeriodStanding(code, Position.OUTSIDE, "before_start", **common)
    if on > ends_on:
        return PeriodStanding(code, Position.OUTSIDE, "days", **common)
    days_left = (ends_on - on).days
    if not uses_km:
        return PeriodStanding(code, Position.INSIDE, "", days_left=days_left, **common)
    position, reason = _by_km(low, high, km_limit)
    too_high, too_low = _contradicting(readings)
    if too_high:
        # Some reading is above a later one: one of each such pair is mistyped. Dropping either
        # side gives an answer; only when both give the same one is it known.
        answers = set()
        for dropped in (too_high, too_low):
            kept = [r for r in readings if r not in dropped]
            bounds = mileage_bounds(kept, on)
            answers.add(_by_km(*bounds, km_limit))
            if dropped is too_high:
                common["km_low"], common["km_high"] = bounds
        if len(answers) > 1:
            position, reason = Position.UNKNOWN, "mileage_conflict"
        else:
            position, reason = answers.pop()
    if position == Position.OUTSIDE:
        return PeriodStanding(code, position, reason, **common)
    return PeriodStanding(code, position, reason, days_left=days_left, **common)


def _contradicting(readings: Sequence[tuple[dt.date, int]]) -> tuple[set, set]:
    """The readings above a later one and the readings below an earlier one (odometers only go
    up; readings of the same day may differ, in and out)."""
    days = [
        (day, [km for _, km in group])
        for day, group in groupby(sorted(set(readings)), key=itemgetter(0))
    ]
    too_high: set = set()
    too_low: set = set()
    lowest_after = None
    for day, kms in reversed(days):
        if lowest_after is not None:
            too_high.update((day, km) for km in kms if km > lowest_after)
        lowest_after = min(kms) if lowest_after is None else min(lowest_after, *kms)
    highest_before = None
    for day, kms in days:
        if highest_before is not None:
            too_low.update((day, km) for km in kms if km < highest_before)
        highest_before = max(kms) if highest_before is None else max(highest_before, *kms)
    return too_high, too_low


def _by_km(low: int, high: int | None, km_limit: int) -> tuple[str, str]:
    """The side of the km limit for an odometer known to lie between low and high."""
    if low > km_limit:
        return Position.OUTSIDE, "km"
    if high is None or high > km_limit:
        return Position.UNKNOWN, "mileage"
    return Position.INSIDE, ""


# ---------------------------------------------------------------------------------------------
# The evaluation.


def _value(limits: Limits, code: str) -> int | None:
    limit = limits.get(code)
    return None if limit is None else limit.value


def _citation(limits: Limits, *codes: str) -> str:
    seen = []
    for code in codes:
        limit = limits.get(code)
        if limit is not None and limit.citation and limit.citation not in seen:
            seen.append(limit.citation)
    return "; ".join(seen)


def _worst(items: list[ConditionStanding], default: ConditionStanding) -> ConditionStanding:
    return max(items, key=lambda c: (_SEVERITY[c.standing], c.count or 0), default=default)


class _Context:
    """What every condition needs: the start, the readings, the 三包 position of each visit."""

    def __init__(self, facts, visits, limits, reference, today):
        self.limits = limits
        self.reference = reference
        self.today = today
        self.start, self.start_source = warranty_start(facts)
        self.visits = sorted(visits, key=lambda v: (v.date_in, v.date_out or dt.date.max))
        self.quality = [v for v in self.visits if v.is_quality and v.date_in <= today]
        self.readings = readings_of(facts, self.visits)
        self._positions: dict[tuple[str, dt.date], PeriodStanding] = {}

    def position(self, period: str, on: dt.date) -> PeriodStanding:
        key = (period, on)
        if key not in self._positions:
            self._positions[key] = self._compute(period, on)
        return self._positions[key]

    def _compute(self, period: str, on: dt.date) -> PeriodStanding:
        v = lambda code: _value(self.limits, code)  # noqa: E731
        if period == "major_part":
            return period_position(period, self.start, on, days=v(ThresholdCode.MAJOR_PART_DAYS))
        if period == "safety_failure":
            return period_position(
                period,
                self.start,
                on,
                days=v(ThresholdCode.SAFETY_FAILURE_DAYS),
                uses_km=True,
                km_limit=v(ThresholdCode.SAFETY_FAILURE_KM),
                readings=self.readings,
            )
        if period == "sanbao":
            return period_position(
                period,
                self.start,
                on,
                years=v(ThresholdCode.SANBAO_YEARS),
                uses_km=True,
                km_limit=v(ThresholdCode.SANBAO_KM),
                readings=self.readings,
            )
        return period_position(
            period,
            self.start,
            on,
            years=v(ThresholdCode.WARRANTY_YEARS),
            uses_km=True,
            km_limit=v(ThresholdCode.WARRANTY_KM),
            readings=self.readings,
        )

    def in_sanbao(self, visit: Visit) -> str:
        return self.position("sanbao", visit.date_in).position


def evaluate(
    facts: VehicleFacts,
    visits: Iterable[Visit],
    limits: Limits,
    *,
    reference: dt.date,
    today: dt.date,
) -> Evaluation:
    """Where the complaint received on `reference` stands, with the workshop as of `today`."""
    ctx = _Context(facts, list(visits), limits, reference, today)
    periods = {
        code: ctx.position(code, reference)
        for code in ("major_part", "safety_failure", "sanbao", "warranty")
    }
    unknowns: list[tuple[str, dict]] = []
    notes: list[tuple[str, dict]] = []
    if ctx.start is None:
        unknowns.append(("no_start", {}))
    elif ctx.start_source == "invoice":
        notes.append(("invoice_only", {"invoice_date": facts.invoice_date}))
    elif facts.invoice_date is not None and facts.invoice_date != facts.delivery_date:
        notes.append(
            (
                "delivery_differs",
                {"invoice_date": facts.invoice_date, "delivery_date": facts.delivery_date},
            )
        )
    for code in ThresholdCode.values:
        if _value(limits, code) is None:
            unknowns.append(("threshold_missing", {"code": code}))
    if ctx.start is not None and any(p.reason == "mileage" for p in periods.values()):
        unknowns.append(("mileage", {"on": reference}))
    # Shown so the wrong reading gets corrected; where it matters, the periods say "cannot tell".
    notes += [("mileage_conflict", pair) for pair in mileage_conflicts(facts, ctx.visits)]
    excluded = [v for v in ctx.visits if not v.is_quality]
    if excluded:
        notes.append(("not_quality", {"count": len(excluded)}))

    conditions = [
        _major_part_early(ctx),
        _safety_failure_early(ctx),
        _safety_repairs(ctx),
        _assembly_replacements(ctx),
        _part_replacements(ctx, unknowns),
        _repair_days(ctx),
        _same_problem(ctx),
    ]
    return Evaluation(
        reference=reference,
        today=today,
        start=ctx.start,
        start_source=ctx.start_source,
        periods=periods,
        conditions=conditions,
        open_repairs=_open_repairs(ctx),
        repair_days=conditions[5].count or 0,
        same_problem_repairs=conditions[6].count or 0,
        safety_repairs=conditions[2].count or 0,
        unknowns=unknowns,
        notes=notes,
    )


def _major_part_early(ctx: _Context) -> ConditionStanding:
    """Art. 22: within 7 days of the start, a quality problem needs the engine, gearbox, traction
    battery or drive motor (or one of their main parts) replaced. A visit of one of those
    assemblies whose day in is inside the window and that replaced the assembly or parts meets
    it; one still open without a replacement recorded yet is close."""
    code, limit = ConditionCode.MAJOR_PART_EARLY, _value(ctx.limits, ThresholdCode.MAJOR_PART_DAYS)
    citation = _citation(ctx.limits, ThresholdCode.MAJOR_PART_DAYS)
    found = []
    for v in ctx.quality:
        if v.system not in MAJOR_ASSEMBLIES:
            continue
        pos = ctx.position("major_part", v.date_in)
        replaced = v.assembly_replaced or bool(v.parts)
        if pos.position == Position.OUTSIDE:
            continue
        if pos.position == Position.UNKNOWN:
            standing = Standing.UNKNOWN if replaced or v.date_out is None else Standing.NOT_MET
        elif replaced:
            standing = Standing.MET
        else:
            standing = Standing.CLOSE if v.date_out is None else Standing.NOT_MET
        found.append(
            ConditionStanding(
                code,
                standing,
                count=pos.day,
                limit=limit,
                citation=citation,
                reason=pos.reason,
                repair_orders=(v.repair_order,),
                detail={"system": v.system, "day": pos.day},
            )
        )
    return _worst(found, ConditionStanding(code, Standing.NOT_MET, limit=limit, citation=citation))


def _safety_failure_early(ctx: _Context) -> ConditionStanding:
    """Art. 23: within 60 days or 3,000 km, whichever first, a steering or brake failure, body
    cracking, fuel leak or traction-battery fire: a serious-safety visit of those systems whose
    day in and mileage lie inside the window."""
    code = ConditionCode.SAFETY_FAILURE_EARLY
    limit = _value(ctx.limits, ThresholdCode.SAFETY_FAILURE_DAYS)
    citation = _citation(
        ctx.limits, ThresholdCode.SAFETY_FAILURE_DAYS, ThresholdCode.SAFETY_FAILURE_KM
    )
    found = []
    for v in ctx.quality:
        if not (v.serious_safety and v.system in SIXTY_DAY_SYSTEMS):
            continue
        pos = ctx.position("safety_failure", v.date_in)
        standing = {
            Position.INSIDE: Standing.MET,
            Position.UNKNOWN: Standing.UNKNOWN,
            Position.OUTSIDE: Standing.NOT_MET,
        }[pos.position]
        found.append(
            ConditionStanding(
                code,
                standing,
                count=pos.day,
                limit=limit,
                citation=citation,
                reason=pos.reason,
                repair_orders=(v.repair_order,),
                detail={
                    "system": v.system,
                    "day": pos.day,
                    "km": v.mileage_km,
                    "km_limit": pos.km_limit,
                },
            )
        )
    return _worst(found, ConditionStanding(code, Standing.NOT_MET, limit=limit, citation=citation))


def _persists(ctx: _Context, after: dt.date, later: list[Visit], concerns: bool) -> str:
    """Evidence, inside the 三包 period, that a fault persists after the repair or replacement
    finished on `after`: a later visit for it, or this complaint (received on or after that day)
    being about it. MET with evidence, UNKNOWN if the evidence may lie outside the period, else
    CLOSE (the next occurrence meets the condition)."""
    positions = [ctx.in_sanbao(v) for v in later if v.date_in >= after]
    if concerns and ctx.reference >= after:
        positions.append(ctx.position("sanbao", ctx.reference).position)
    if Position.INSIDE in positions:
        return Standing.MET
    if Position.UNKNOWN in positions:
        return Standing.UNKNOWN
    return Standing.CLOSE


def _repeated(
    ctx: _Context,
    code: str,
    done_pool: list[Visit],
    later_pool: list[Visit],
    concerns: bool,
    limit: int | None,
    citation: str,
    detail: dict,
) -> ConditionStanding:
    """Art. 24(1)–(3): `limit` finished repairs / replacements inside the 三包 period, then the
    fault persists. `done_pool` are the candidate visits, `later_pool` the visits that show the
    same fault again."""
    if limit is None:
        return ConditionStanding(code, Standing.UNKNOWN, citation=citation, reason="no_limit")
    eligible = [v for v in done_pool if ctx.in_sanbao(v) != Position.OUTSIDE]
    done = sorted((v for v in eligible if v.date_out is not None), key=lambda v: v.date_out)
    definite = [v for v in done if ctx.in_sanbao(v) == Position.INSIDE]
    orders = tuple(v.repair_order for v in eligible)
    common = {
        "count": len(definite),
        "limit": limit,
        "citation": citation,
        "repair_orders": orders,
        "detail": detail,
    }
    if len(definite) >= limit:
        counted = definite[:limit]
        after = counted[-1].date_out
        later = [v for v in later_pool if v not in counted]
        standing = _persists(ctx, after, later, concerns)
        reason = "persistence_unknown" if standing == Standing.CLOSE else ""
        return ConditionStanding(
            code, standing, reason=reason, **{**common, "detail": {**detail, "finished_on": after}}
        )
    if len(done) >= limit:
        return ConditionStanding(code, Standing.UNKNOWN, reason="position", **common)
    if len(definite) >= max(1, limit - 1):
        return ConditionStanding(code, Standing.CLOSE, **common)
    return ConditionStanding(code, Standing.NOT_MET, **common)


def _safety_repairs(ctx: _Context) -> ConditionStanding:
    """Art. 24(1): 2 repairs of a serious safety fault, and the fault persists or a new serious
    safety fault appears: a later serious-safety visit, or this complaint being about a serious
    safety fault (one of its fault's visits is marked so)."""
    safety = [v for v in ctx.quality if v.serious_safety]
    concerns = any(v.is_complaint_fault and v.serious_safety for v in ctx.visits)
    return _repeated(
        ctx,
        ConditionCode.SAFETY_REPAIRS,
        safety,
        safety,
        concerns,
        _value(ctx.limits, ThresholdCode.SAFETY_REPAIRS),
        _citation(ctx.limits, ThresholdCode.SAFETY_REPAIRS),
        {},
    )


def _assembly_replacements(ctx: _Context) -> ConditionStanding:
    """Art. 24(2): the engine, gearbox, traction battery or drive motor replaced twice (as a
    whole) and still not working: counted per assembly."""
    code = ConditionCode.ASSEMBLY_REPLACEMENTS
    limit = _value(ctx.limits, ThresholdCode.ASSEMBLY_REPLACEMENTS)
    citation = _citation(ctx.limits, ThresholdCode.ASSEMBLY_REPLACEMENTS)
    found = []
    for system in sorted(MAJOR_ASSEMBLIES):
        replaced = [v for v in ctx.quality if v.system == system and v.assembly_replaced]
        if not replaced:
            continue
        same = [v for v in ctx.quality if v.system == system]
        concerns = any(v.is_complaint_fault and v.system == system for v in ctx.visits)
        found.append(
            _repeated(ctx, code, replaced, same, concerns, limit, citation, {"system": system})
        )
    return _worst(found, ConditionStanding(code, Standing.NOT_MET, limit=limit, citation=citation))


def _part_replacements(ctx: _Context, unknowns: list) -> ConditionStanding:
    """Art. 24(3): the same main part of one of the listed systems replaced twice and still not
    working, counted per (system, part). Parts replaced on visits without a system cannot be
    judged: a part replaced that often there makes the condition "cannot tell"."""
    code = ConditionCode.PART_REPLACEMENTS
    limit = _value(ctx.limits, ThresholdCode.PART_REPLACEMENTS)
    citation = _citation(ctx.limits, ThresholdCode.PART_REPLACEMENTS)
    groups: dict[tuple[str, str], list[Visit]] = {}
    for v in ctx.quality:
        for part in dict.fromkeys(v.parts):
            groups.setdefault((v.system, part), []).append(v)
    found = []
    for (system, part), replaced in sorted(groups.items()):
        if system in MAIN_PART_SYSTEMS:
            same = [v for v in ctx.quality if v.system == system]
            concerns = any(v.is_complaint_fault and v.system == system for v in ctx.visits)
            found.append(
                _repeated(
                    ctx,
                    code,
                    replaced,
                    same,
                    concerns,
                    limit,
                    citation,
                    {"system": system, "part": part},
                )
            )
        elif not system and limit is not None:
            done = [v for v in replaced if v.date_out and ctx.in_sanbao(v) != Position.OUTSIDE]
            if len(done) >= limit:
                unknowns.append(("part_without_system", {"part": part, "count": len(done)}))
                found.append(
                    ConditionStanding(
                        code,
                        Standing.UNKNOWN,
                        count=len(done),
                        limit=limit,
                        citation=citation,
                        reason="no_system",
                        repair_orders=tuple(v.repair_order for v in done),
                        detail={"system": "", "part": part},
                    )
                )
    return _worst(found, ConditionStanding(code, Standing.NOT_MET, limit=limit, citation=citation))


def _count_days(visits: list[Visit], today: dt.date) -> int:
    days: set[dt.date] = set()
    for v in visits:
        last = v.last_day(today)
        days.update(v.date_in + dt.timedelta(days=n) for n in range((last - v.date_in).days + 1))
    return max(0, len(days) - sum(v.excluded_days for v in visits))


def _repair_days(ctx: _Context) -> ConditionStanding:
    """Art. 24(4): cumulative repair time of quality problems over 30 days (31 days meet it)."""
    code, limit = ConditionCode.REPAIR_DAYS, _value(ctx.limits, ThresholdCode.REPAIR_DAYS)
    citation = _citation(ctx.limits, ThresholdCode.REPAIR_DAYS)
    definite = [v for v in ctx.quality if ctx.in_sanbao(v) == Position.INSIDE]
    possible = [v for v in ctx.quality if ctx.in_sanbao(v) != Position.OUTSIDE]
    total, most = _count_days(definite, ctx.today), _count_days(possible, ctx.today)
    common = {
        "count": total,
        "limit": limit,
        "citation": citation,
        "repair_orders": tuple(v.repair_order for v in possible),
        "detail": {"possible": most, "excluded": sum(v.excluded_days for v in possible)},
    }
    if limit is None:
        return ConditionStanding(code, Standing.UNKNOWN, reason="no_limit", **common)
    if total > limit:
        return ConditionStanding(code, Standing.MET, **common)
    if most > limit:
        return ConditionStanding(code, Standing.UNKNOWN, reason="position", **common)
    if total >= limit * CLOSE_SHARE:
        return ConditionStanding(code, Standing.CLOSE, **common)
    return ConditionStanding(code, Standing.NOT_MET, **common)


def _same_problem(ctx: _Context) -> ConditionStanding:
    """Art. 24(4): the same quality problem repaired more than 4 times — the repairs of this
    complaint's fault (open or finished) inside the 三包 period; the 5th meets it, at 4 the next
    one would (close)."""
    code = ConditionCode.SAME_PROBLEM_REPAIRS
    limit = _value(ctx.limits, ThresholdCode.SAME_PROBLEM_REPAIRS)
    citation = _citation(ctx.limits, ThresholdCode.SAME_PROBLEM_REPAIRS)
    fault = [v for v in ctx.quality if v.is_complaint_fault]
    definite = [v for v in fault if ctx.in_sanbao(v) == Position.INSIDE]
    possible = [v for v in fault if ctx.in_sanbao(v) != Position.OUTSIDE]
    common = {
        "count": len(definite),
        "limit": limit,
        "citation": citation,
        "repair_orders": tuple(v.repair_order for v in possible),
        "detail": {"possible": len(possible)},
    }
    if limit is None:
        return ConditionStanding(code, Standing.UNKNOWN, reason="no_limit", **common)
    if len(definite) > limit:
        return ConditionStanding(code, Standing.MET, **common)
    if len(possible) > limit:
        return ConditionStanding(code, Standing.UNKNOWN, reason="position", **common)
    if len(definite) == limit:
        return ConditionStanding(code, Standing.CLOSE, **common)
    return ConditionStanding(code, Standing.NOT_MET, **common)


def _open_repairs(ctx: _Context) -> list[OpenRepair]:
    """Art. 20: inside the repair-warranty period a single quality repair over 5 days (waiting for
    parts included) owes the customer a substitute car (or transport costs) from day 6."""
    limit = _value(ctx.limits, ThresholdCode.SINGLE_REPAIR_DAYS)
    citation = _citation(ctx.limits, ThresholdCode.SINGLE_REPAIR_DAYS)
    result = []
    for v in ctx.quality:
        if v.date_out is not None:
            continue
        day = v.days(ctx.today)
        pos = ctx.position("warranty", v.date_in).position
        if limit is None:
            standing, start = Standing.UNKNOWN, None
        else:
            start = v.date_in + dt.timedelta(days=limit)
            if day > limit:
                standing = {
                    Position.INSIDE: Standing.MET,
                    Position.UNKNOWN: Standing.UNKNOWN,
                    Position.OUTSIDE: Standing.NOT_MET,
                }[pos]
            elif day == limit and pos != Position.OUTSIDE:
                standing = Standing.CLOSE
            else:
                standing = Standing.NOT_MET
        result.append(
            OpenRepair(v.repair_order, v.date_in, day, limit, start, standing, citation, pos)
        )
    return result
