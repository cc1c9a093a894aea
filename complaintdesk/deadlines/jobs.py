"""The registry of calendar jobs, run by the worker on each store's own calendar.

A job says on which local days it runs (e.g. every Tuesday, the 2nd of the month), from what
local time, and what happens when that day is not a working day (run anyway, or on the next
working day). `run_due_jobs()` runs every minute; a JobRun row per (job, store, day) — unique —
makes a job run once per day and store however many workers there are, and lets a restarted
worker catch up on the same day.

The jobs that produce reports and reminders (SPEC §5, §7) register here from their own modules:

    @register("feedback_summary", days=weekday(1) | month_day(2), at=dt.time(9, 0),
              on_non_working_day=NEXT_WORKING_DAY)
    def feedback_summary(store, day): ...
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from complaintdesk.deadlines.calendar import BusinessCalendar
from complaintdesk.deadlines.models import JobRun

SAME_DAY = "same_day"
NEXT_WORKING_DAY = "next_working_day"


@dataclass(frozen=True)
class DayRule:
    """A set of calendar days, combinable with |."""

    test: Callable[[dt.date], bool]

    def __call__(self, day: dt.date) -> bool:
        return self.test(day)

    def __or__(self, other: DayRule) -> DayRule:
        return DayRule(lambda d: self(d) or other(d))


def weekday(n: int) -> DayRule:
    """0 = Monday … 6 = Sunday."""
    return DayRule(lambda d: d.weekday() == n)


def month_day(n: int) -> DayRule:
    return DayRule(lambda d: d.day == n)


def every_day() -> DayRule:
    return DayRule(lambda d: True)


@dataclass(frozen=True)
class Job:
    name: str
    days: DayRule
    at: dt.time
    on_non_working_day: str
    run: Callable


JOBS: dict[str, Job] = {}


def register(name, *, days: DayRule, at: dt.time = dt.time(8, 0), on_non_working_day: str = SAME_DAY):
    def wrap(fn):
        JOBS[name] = Job(name, days, at, on_non_working_day, fn)
        return fn

    return wrap


def scheduled_for(job: Job, day: dt.date, cal: BusinessCalendar) -> dt.date | None:
    """The nominal date whose run falls on `day`, or None. With NEXT_WORKING_DAY, a nominal day
    that is not a working day runs on the first working day after it."""
    if job.on_non_working_day == SAME_DAY:
        return day if job.days(day) else None
    if not cal.is_working_day(day):
        return None
    probe = day
    for _ in range(31):  # the nominal day itself, then back through the non-working days before
        if job.days(probe):
            return probe
        probe -= dt.timedelta(days=1)
        if cal.is_working_day(probe):
            return None
    return None


def run_due_jobs(now: dt.datetime | None = None) -> list[tuple[str, int, dt.date]]:
    """Run every job whose time has come in each store's local calendar; returns what ran."""
    from complaintdesk.deadlines.policy import store_calendar
    from complaintdesk.org.models import Store

    now = now or timezone.now()
    ran = []
    for store in Store.objects.all():
        cal = store_calendar(store)
        local = timezone.localtime(now, store.tz)
        for job in JOBS.values():
            nominal = scheduled_for(job, local.date(), cal)
            if nominal is None or local.time() < job.at:
                continue
            try:
                with transaction.atomic():
                    run = JobRun.objects.create(job=job.name, store=store, day=nominal, started_at=now)
            except IntegrityError:
                continue  # already run (or running) for this store and day
            try:
                job.run(store, nominal)
            except Exception as exc:  # noqa: BLE001 - recorded, and the other jobs still run
                JobRun.objects.filter(pk=run.pk).update(error=repr(exc)[:2000])
                continue
            JobRun.objects.filter(pk=run.pk).update(finished_at=timezone.now())
            ran.append((job.name, store.pk, nominal))
    return ran
