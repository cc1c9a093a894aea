"""Worker schedules, all in one place: the deadline sweep and the calendar jobs every minute."""

import datetime as dt
import logging

from django.utils import timezone
from django.utils.translation import gettext as _
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from complaintdesk.deadlines.jobs import every_day, register, run_due_jobs
from complaintdesk.deadlines.models import CalendarYear
from complaintdesk.deadlines.sweep import sweep

log = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="*"))
@lock_task("deadline-sweep")
def sweep_deadlines():
    result = sweep()
    if result.warnings or result.breaches:
        log.info("sweep: %d warnings, %d breaches in %.3fs", result.warnings, result.breaches, result.seconds)


@db_periodic_task(crontab(minute="*"))
@lock_task("calendar-jobs")
def calendar_jobs():
    run_due_jobs()


def missing_calendar_years(today: dt.date) -> list[int]:
    """Years a store will soon need that nobody has entered: next year from 1 December on
    (SPEC §9: the notice is usually published in the autumn), and any year already running."""
    needed = [today.year] + ([today.year + 1] if today.month == 12 else [])
    known = set(CalendarYear.objects.filter(year__in=needed).values_list("year", flat=True))
    return [y for y in needed if y not in known]


@register("calendar_year_check", days=every_day())
def calendar_year_check(store, day):
    """Tell the store's CS directors and store managers, once a day, that deadlines will be
    provisional until the State Council's holiday calendar for the year is entered."""
    from complaintdesk.notifications.services import notify
    from complaintdesk.org.models import Role
    from complaintdesk.org.selectors import users_with_roles

    for year in missing_calendar_years(day):
        notify(
            recipients=list(users_with_roles(store, {Role.CS_DIRECTOR, Role.STORE_MANAGER})),
            store=store,
            kind="calendar_missing",
            title=_("The %(year)d holiday calendar is missing") % {"year": year},
            body=_(
                "Deadlines that fall in %(year)d are computed on the weekday rule and marked "
                "provisional until the statutory holidays and in-lieu working days are entered "
                "(admin → calendar days, or complaintdesk calendar import)."
            )
            % {"year": year},
            urgent=False,
            dedupe_key=f"calendar-missing:{year}:{day.isoformat()}",
            now=timezone.now(),
        )
