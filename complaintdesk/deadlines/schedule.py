"""Putting due times on steps: schedule, pause, resume, recompute. Callers save the step."""

from __future__ import annotations

import datetime as dt

from complaintdesk.deadlines.calendar import (
    BusinessCalendar,
    Clock,
    add_office_time,
    compute_due,
    office_time_between,
)
from complaintdesk.deadlines.policy import Policy, policy_for, store_calendar

# Which policy each step runs on; None: no deadline of its own (a pending matter waits for the
# customer; the archive check is the CS center's supervision).
STEP_DEADLINE: dict[str, str | None] = {
    "register": "register",
    "determine": "determine",
    "approve_pending": "approve_pending",
    "pending": None,
    "review": "review",
    "decide": "decide",
    "accountability": "accountability",
    "callback": "callback",
    "archive": None,
    "consumer_notice": "consumer_notice",
    "regulator_acceptance": "regulator_acceptance",
    "regulator_mediation": "regulator_mediation",
    "refund_answer": "refund_answer",
    "refund_complete": "refund_complete",
}


def warn_time(
    start: dt.datetime, due: dt.datetime, policy: Policy, cal: BusinessCalendar
) -> dt.datetime:
    """The moment `warn_percent` of the time is used, measured on the deadline's own clock:
    75 % of 4 office hours is 3 office hours, not 75 % of the wall time to the due time."""
    share = policy.warn_percent / 100
    if policy.clock == Clock.ELAPSED:
        return start + (due - start) * share
    total = office_time_between(start, due, cal)
    return add_office_time(start, total.total_seconds() / 3600 * share, cal).due


def schedule(
    step, *, deadline: str | None, start: dt.datetime, cal: BusinessCalendar | None = None
) -> None:
    """Give a step its due and warning times from the store's policy and calendar."""
    step.deadline = deadline or ""
    if deadline is None:
        step.amount = step.clock = None
        step.clock = ""
        step.due_at = step.warn_at = None
        step.provisional = False
        step.explanation = {}
        return
    store = step.complaint.store
    policy = policy_for(store, deadline)
    if cal is None:
        # Elapsed hours need no calendar; the others only the years a deadline can reach.
        cal = (
            BusinessCalendar(tz=store.tz)
            if policy.clock == Clock.ELAPSED
            else store_calendar(store, years=range(start.year - 1, start.year + 3))
        )
    due = compute_due(start, policy.amount, policy.clock, cal)
    step.amount, step.clock = policy.amount, policy.clock
    step.due_at = due.due
    step.warn_at = warn_time(start, due.due, policy, cal)
    step.provisional = due.provisional
    step.explanation = {"deadline": deadline, "warn_percent": policy.warn_percent, **due.as_dict()}


def pause(step, now: dt.datetime, cal: BusinessCalendar | None = None) -> None:
    """Stop the clock: keep what is left of the time on the step's own clock."""
    if step.due_at is None or step.paused_at is not None:
        raise ValueError("step has no running clock")
    cal = cal or store_calendar(step.complaint.store)

    def left_until(moment):
        if step.clock == Clock.ELAPSED:
            return max((moment - now).total_seconds(), 0.0)
        return office_time_between(now, moment, cal).total_seconds()

    step.remaining_seconds = left_until(step.due_at)
    warn_left = left_until(step.warn_at) if step.warn_at and not step.warned_at else None
    step.explanation = {**(step.explanation or {}), "warn_left_seconds": warn_left}
    step.paused_at = now
    step.due_at = step.warn_at = None


def resume(step, now: dt.datetime, cal: BusinessCalendar | None = None) -> None:
    """Restart the clock with the time that was left. Working-day deadlines continue as office
    time, which keeps the same share of each day whatever day the customer answers."""
    if step.paused_at is None:
        raise ValueError("step is not paused")
    cal = cal or store_calendar(step.complaint.store)
    left = step.remaining_seconds or 0.0
    warn_left = (step.explanation or {}).get("warn_left_seconds")

    def after(seconds):
        if step.clock == Clock.ELAPSED:
            return now + dt.timedelta(seconds=seconds)
        return add_office_time(now, seconds / 3600, cal).due

    step.due_at = after(left)
    step.warn_at = after(warn_left) if warn_left is not None and not step.warned_at else None
    step.explanation = {
        **(step.explanation or {}),
        "resumed_at": now.isoformat(),
        "paused_at": step.paused_at.isoformat(),
        "remaining_hours": round(left / 3600, 2),
        "due": step.due_at.isoformat(),
    }
    step.paused_at = None
    step.remaining_seconds = None


def fix_due(step, *, due: dt.datetime, reason: str) -> None:
    """A due time set by someone else (a regulator's date): not recomputed by policy changes."""
    step.deadline = step.deadline or step.kind
    step.amount, step.clock = None, ""
    step.due_at = due
    step.warn_at = None
    step.provisional = False
    step.explanation = {"fixed": True, "reason": reason, "due": due.isoformat()}


def recompute(step, cal: BusinessCalendar | None = None) -> bool:
    """Apply the current policy and calendar to an open, running step; True when its due time
    moved. Paused steps keep their remaining time; steps without a deadline are left alone."""
    if not step.deadline or step.paused_at is not None or step.finished_at is not None:
        return False
    if step.explanation.get("resumed_at") or step.explanation.get("fixed"):
        return False  # resumed or regulator-set due times are not a function of the policy
    before = (step.due_at, step.warn_at, step.provisional)
    schedule(step, deadline=step.deadline, start=step.started_at, cal=cal)
    return (step.due_at, step.warn_at, step.provisional) != before
