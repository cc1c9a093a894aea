"""Background work: the outbox is emptied every minute.

The database is the source of truth: a lost queue or a restarted worker loses nothing, and
several workers may run this at once (see delivery.py).
"""

import time

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from complaintdesk.notifications.delivery import deliver_due

# Stop taking new digests before the next run starts, so that runs do not pile up.
RUN_BUDGET_SECONDS = 50
BATCH = 100


@db_periodic_task(crontab(minute="*"))
def deliver_notifications() -> int:
    """Send due notifications, in batches, for at most RUN_BUDGET_SECONDS; returns how many
    digests were claimed."""
    started = time.monotonic()
    claimed = 0
    while time.monotonic() - started < RUN_BUDGET_SECONDS:
        report = deliver_due(limit=BATCH)
        claimed += report.claimed
        if report.claimed < BATCH:
            break
    return claimed
