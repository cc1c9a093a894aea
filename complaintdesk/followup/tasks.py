"""The monthly pending-matter reminder (SPEC §5), a calendar job of deadlines.jobs.

Holiday rule: the reminder is due on the 4th of the month in the store's calendar; when the 4th
is not a working day (a weekend, or e.g. 2026-10-04 inside the National Day holiday) it runs on
the next working day (2026-10-08), still listing the matters of the 4th's month. The JobRun row
per (job, store, nominal day) makes it run once however many workers there are.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.utils import timezone
from django.utils.translation import gettext as _

from complaintdesk.deadlines.jobs import NEXT_WORKING_DAY, month_day, register
from complaintdesk.followup.selectors import matters_to_remind

REMINDER_DAY = 4


@register(
    "pending_reminders",
    days=month_day(REMINDER_DAY),
    at=dt.time(8, 0),
    on_non_working_day=NEXT_WORKING_DAY,
)
def pending_reminders(store, day: dt.date) -> dict[int, list[int]]:
    """Give each customer manager an in-app list of the pending matters to contact this month
    (matters without a customer manager go to the CS directors). Returns {user id: [complaint
    ids]} for what was listed. Safe to run twice: notify() dedupes on the month's key."""
    from complaintdesk.followup.models import PendingMatter
    from complaintdesk.notifications.services import notify
    from complaintdesk.org.models import Role
    from complaintdesk.org.selectors import users_with_roles

    matters = list(matters_to_remind(store, day))
    by_user: dict = defaultdict(list)
    directors = list(users_with_roles(store, {Role.CS_DIRECTOR}))
    for matter in matters:
        manager = matter.complaint.customer_manager
        for person in [manager] if manager is not None else directors:
            by_user[person].append(matter)
    listed = {}
    for person, items in by_user.items():
        lines = [
            f"{m.complaint.number} · {m.get_reason_display()} · {m.complaint.summary}"
            for m in items
        ]
        notify(
            recipients=[person],
            store=store,
            kind="other",
            title=_("Pending matters to contact this month: %(n)d") % {"n": len(items)},
            body=_("Remind each customer to return and record what changed (SPEC §5):")
            + "\n"
            + "\n".join(lines),
            dedupe_key=f"pending-reminder:{store.pk}:{day:%Y-%m}",
            now=timezone.now(),
        )
        listed[person.pk] = [m.complaint_id for m in items]
    PendingMatter.objects.filter(pk__in=[m.pk for m in matters]).update(last_reminded_on=day)
    return listed
