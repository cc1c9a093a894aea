"""What a person reads about an evaluation: one sentence per condition, period and unknown, in
the active language. The rules return codes and numbers; the words are chosen here, once, for
the panel, the API and the notifications."""

from __future__ import annotations

from django.utils.translation import gettext as _

from complaintdesk.warranty import rules
from complaintdesk.warranty.choices import ConditionCode, Position, System, ThresholdCode

PERIOD_LABELS = {
    "major_part": lambda: _("Replacement window (engine, gearbox, battery, motor)"),
    "safety_failure": lambda: _("Safety-failure window (days / km)"),
    "sanbao": lambda: _("三包 period"),
    "warranty": lambda: _("Repair warranty period"),
}


def period_label(code: str) -> str:
    return PERIOD_LABELS[code]()


def system_label(code: str) -> str:
    return str(System(code).label) if code in System.values else str(_("system not recorded"))


def period_text(p: rules.PeriodStanding) -> str:
    """Days used and left, km known, or why it cannot be told."""
    if p.reason == "no_start":
        return _("Cannot tell: no invoice or delivery date recorded.")
    if p.reason == "no_limit":
        return _("Cannot tell: the threshold is not set.")
    if p.reason == "before_start":
        return _("Dated before the period starts.")
    parts = [_("day %(day)d, ends %(end)s") % {"day": p.day, "end": p.ends_on.isoformat()}]
    if p.days_left is not None and p.position != Position.OUTSIDE:
        parts.append(_("%(n)d days left") % {"n": p.days_left})
    if p.km_limit is not None:
        if p.km_high is not None and p.km_high == p.km_low:
            parts.append(_("%(km)s of %(limit)s km") % {"km": p.km_high, "limit": p.km_limit})
        elif p.km_high is not None:
            parts.append(
                _("%(low)s–%(high)s of %(limit)s km")
                % {"low": p.km_low, "high": p.km_high, "limit": p.km_limit}
            )
        else:
            parts.append(
                _("at least %(low)s km of %(limit)s (no later reading)")
                % {"low": p.km_low, "limit": p.km_limit}
            )
    if p.reason == "days":
        parts.append(_("the days ran out first"))
    elif p.reason == "km":
        parts.append(_("the km ran out first"))
    elif p.reason == "mileage":
        parts.append(_("cannot tell without a mileage reading"))
    elif p.reason == "mileage_conflict":
        parts.append(_("cannot tell: the mileage readings disagree"))
    return "; ".join(str(x) for x in parts)


def condition_label(code: str) -> str:
    return str(ConditionCode(code).label)


def condition_text(c: rules.ConditionStanding) -> str:
    """The numbers behind one condition, e.g. "5 repairs of this complaint's fault (more than 4
    meets the condition)"."""
    d = c.detail
    if c.reason == "no_limit":
        return _("Cannot tell: the threshold is not set.")
    if c.code == ConditionCode.MAJOR_PART_EARLY:
        if not c.repair_orders:
            return _("No engine, gearbox, battery or motor repair in the first %(limit)s days.") % {
                "limit": c.limit
            }
        if c.reason == "no_start":
            return _("%(system)s repaired (%(ro)s), but the start date is unknown.") % {
                "system": system_label(d.get("system", "")),
                "ro": ", ".join(c.repair_orders),
            }
        return _("%(system)s repaired on day %(day)s (%(ro)s); within %(limit)s days.") % {
            "system": system_label(d.get("system", "")),
            "day": d.get("day"),
            "ro": ", ".join(c.repair_orders),
            "limit": c.limit,
        }
    if c.code == ConditionCode.SAFETY_FAILURE_EARLY:
        if not c.repair_orders:
            return _("No steering/brake failure, body crack, fuel leak or battery fire recorded.")
        return _("%(system)s serious safety fault on day %(day)s at %(km)s km (%(ro)s).") % {
            "system": system_label(d.get("system", "")),
            "day": d.get("day") if d.get("day") is not None else "?",
            "km": d.get("km") if d.get("km") is not None else "?",
            "ro": ", ".join(c.repair_orders),
        }
    if c.code in (
        ConditionCode.SAFETY_REPAIRS,
        ConditionCode.ASSEMBLY_REPLACEMENTS,
        ConditionCode.PART_REPLACEMENTS,
    ):
        if not c.repair_orders:
            return {
                ConditionCode.SAFETY_REPAIRS: lambda: _("No serious safety fault repair recorded."),
                ConditionCode.ASSEMBLY_REPLACEMENTS: lambda: _("No assembly replacement recorded."),
                ConditionCode.PART_REPLACEMENTS: lambda: _("No part replaced on a listed system."),
            }[c.code]()
        what = {
            ConditionCode.SAFETY_REPAIRS: lambda: _("serious safety fault repairs"),
            ConditionCode.ASSEMBLY_REPLACEMENTS: lambda: (
                _("replacements of the %(system)s") % {"system": system_label(d.get("system", ""))}
            ),
            ConditionCode.PART_REPLACEMENTS: lambda: (
                _("replacements of “%(part)s” (%(system)s)")
                % {"part": d.get("part", ""), "system": system_label(d.get("system", ""))}
            ),
        }[c.code]()
        text = _("%(count)s of %(limit)s %(what)s finished in the 三包 period") % {
            "count": c.count or 0,
            "limit": c.limit,
            "what": what,
        }
        if c.reason == "persistence_unknown":
            text += "; " + _(
                "met if the fault persists (a later visit, or this complaint about it)"
            )
        elif c.reason == "no_system":
            text += "; " + _("record the system of these visits to judge it")
        elif c.reason == "position":
            text += "; " + _("cannot tell whether all lie inside the 三包 period")
        return text
    if c.code == ConditionCode.REPAIR_DAYS:
        text = _("%(count)s repair days in the 三包 period (more than %(limit)s meets it)") % {
            "count": c.count,
            "limit": c.limit,
        }
        if d.get("excluded"):
            text += "; " + _("%(n)s days not counted") % {"n": d["excluded"]}
        if c.reason == "position":
            text += "; " + _("up to %(n)s if the uncertain visits count") % {"n": d.get("possible")}
        return text
    if c.code == ConditionCode.SAME_PROBLEM_REPAIRS:
        text = _(
            "%(count)s repairs of this complaint's fault in the 三包 period (more than %(limit)s meets it)"
        ) % {"count": c.count, "limit": c.limit}
        if c.reason == "position":
            text += "; " + _("up to %(n)s if the uncertain visits count") % {"n": d.get("possible")}
        return text
    return ""


def unknown_text(code: str, params: dict) -> str:
    if code == "no_start":
        return _("No invoice or delivery date: the periods cannot be told.")
    if code == "mileage":
        return _("No mileage reading on or after the complaint: the km limits cannot be told.")
    if code == "threshold_missing":
        return _("Threshold “%(name)s” is not set.") % {"name": ThresholdCode(params["code"]).label}
    if code == "part_without_system":
        return _("“%(part)s” was replaced %(n)s times on visits without a system.") % {
            "part": params["part"],
            "n": params["count"],
        }
    return code


def note_text(code: str, params: dict) -> str:
    if code == "invoice_only":
        return _("Counted from the invoice date (no delivery date recorded).")
    if code == "delivery_differs":
        return _("Counted from the delivery date %(d)s, not the invoice date %(i)s (Art. 18).") % {
            "d": params["delivery_date"].isoformat(),
            "i": params["invoice_date"].isoformat(),
        }
    if code == "mileage_conflict":
        return _(
            "Mileage readings disagree: %(a)s on %(a_date)s shows %(a_km)s km, %(b)s on "
            "%(b_date)s only %(b_km)s km. Correct the wrong one."
        ) % {
            "a": params["earlier_source"] or _("the vehicle's reading"),
            "a_date": params["earlier_date"].isoformat(),
            "a_km": f"{params['earlier_km']:,}",
            "b": params["later_source"] or _("the vehicle's reading"),
            "b_date": params["later_date"].isoformat(),
            "b_km": f"{params['later_km']:,}",
        }
    if code == "not_quality":
        return _("%(n)s maintenance or other visits do not count.") % {"n": params["count"]}
    return code


def open_repair_text(r: rules.OpenRepair) -> str:
    text = _("%(ro)s in the workshop since %(date)s: day %(day)s") % {
        "ro": r.repair_order,
        "date": r.date_in.isoformat(),
        "day": r.day,
    }
    if r.substitute_from is not None:
        text += "; " + _("substitute car owed from %(date)s (day %(n)s)") % {
            "date": r.substitute_from.isoformat(),
            "n": (r.limit or 0) + 1,
        }
    if r.warranty_position == Position.OUTSIDE:
        text += "; " + _("outside the repair warranty period")
    return text
