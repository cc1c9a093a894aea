"""The three-guarantees re-check (SPEC §9), every 10 minutes: what changes with time alone — an
open repair's days growing past the cumulative limit, a complaint received about a vehicle whose
history already meets a condition. Flags are raised once (unique per complaint and condition),
so a repeated or concurrent run tells nobody twice."""

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from complaintdesk.warranty.services import legal_risk_sweep

log = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="*/10"))
@lock_task("warranty-legal-risk")
def legal_risk_check():
    raised = legal_risk_sweep()
    if raised:
        log.info("three guarantees: %d legal-risk flags raised", raised)
