"""`complaintdesk due`: try the deadline policy without a complaint.

    complaintdesk due --at "2026-09-30 17:40" --hours 1 --clock office
    complaintdesk due --at "2026-12-03 10:00" --workdays 3 --store demo

The last line is the due time as ISO 8601 with offset, followed by " provisional" when the
calendar did not cover a day it needed.
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from complaintdesk.deadlines.calendar import Clock, compute_due
from complaintdesk.deadlines.policy import store_calendar
from complaintdesk.org.models import Store

# Far beyond any deadline of SPEC §4–§9; larger values are typing mistakes.
MAX_HOURS = 10_000
MAX_WORKDAYS = 1_000


class Command(BaseCommand):
    help = "Compute a due time on a store's calendar (or the default one) and explain it."

    def add_arguments(self, parser):
        parser.add_argument("--at", required=True, help='Start, "YYYY-MM-DD HH:MM" in the store\'s time zone.')
        parser.add_argument("--hours", type=float)
        parser.add_argument("--clock", choices=[Clock.OFFICE, Clock.ELAPSED])
        parser.add_argument("--workdays", type=int)
        parser.add_argument("--store", help="Store code (default: Asia/Shanghai, national holidays).")

    def handle(self, *args, at, hours, clock, workdays, store, **options):
        if (workdays is None) == (hours is None):
            raise CommandError("Give either --hours N --clock office|elapsed, or --workdays N.")
        if hours is not None and clock is None:
            raise CommandError("--hours needs --clock office or --clock elapsed.")
        if workdays is not None and clock is not None:
            raise CommandError("--clock goes with --hours; --workdays has its own clock.")
        if hours is not None and not 0 <= hours <= MAX_HOURS:  # also refuses nan
            raise CommandError(f"--hours must be between 0 and {MAX_HOURS}.")
        if workdays is not None and not 1 <= workdays <= MAX_WORKDAYS:
            raise CommandError(f"--workdays must be between 1 and {MAX_WORKDAYS}.")
        store_obj = None
        if store:
            store_obj = Store.objects.filter(code=store).first()
            if store_obj is None:
                raise CommandError(f"No store with code {store!r}.")
        cal = store_calendar(store_obj)
        try:
            # The wall-clock time is read in the store's zone: attach it at once.
            start = dt.datetime.strptime(at.strip(), "%Y-%m-%d %H:%M").replace(tzinfo=cal.tz)
        except ValueError as exc:
            raise CommandError(f'--at must look like "2026-09-30 17:40": {exc}') from None
        amount, used_clock = (workdays, Clock.WORKDAYS) if workdays is not None else (hours, clock)
        try:
            due = compute_due(start, amount, used_clock, cal)
        except (OverflowError, ValueError) as exc:
            raise CommandError(f"No due time can be computed from {at}: {exc}") from None
        unit = "working days" if used_clock == Clock.WORKDAYS else f"{used_clock} hours"
        self.stdout.write(f"start: {due.start.isoformat()}  ({amount:g} {unit})")
        lines = [
            (day, "counted", "1 working day" if used_clock == Clock.WORKDAYS else f"{value:.2f} h")
            for day, value in due.counted
        ] + [(day, "skipped", why) for day, why in due.skipped]
        for day, what, detail in sorted(lines):
            self.stdout.write(f"  {what} {day.isoformat()} ({day:%a}): {detail}")
        if due.provisional:
            years = ", ".join(str(y) for y in sorted(due.unknown_years))
            self.stdout.write(f"  provisional: no holiday calendar entered for {years} (weekday rule used)")
        self.stdout.write(due.due.isoformat() + (" provisional" if due.provisional else ""))
