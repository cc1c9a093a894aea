"""The demo's three-guarantees case meets exactly the conditions worked out by hand."""

import datetime as dt

import time_machine

from complaintdesk.complaints.choices import EventKind, Status
from complaintdesk.notifications.models import Notification
from complaintdesk.warranty.demo import showcase

# 10:00 on 3 December 2026 in Shanghai.
NOW = dt.datetime(2026, 12, 3, 2, 0, tzinfo=dt.UTC)


def test_demo_gearbox_case_is_flagged_once(shop):
    with time_machine.travel(NOW, tick=False):
        complaint = showcase(shop)
        again = showcase(shop)
    assert again.pk == complaint.pk
    complaint.refresh_from_db()
    assert complaint.status == Status.INVESTIGATING
    # Repairs of the gearbox fault: 5 (more than 4 → met). Repair days, every started day counted:
    # 330–327 → 4, 270–266 → 5, 200–195 → 6, 120–113 → 8, 9 days ago until today → 10; 33 > 30.
    # The valve body (阀体) was replaced on the 1st and 4th visit and the fault is still there.
    # 400 days and 23,850 km are inside the 2-year / 50,000 km period; nothing is a safety fault.
    assert set(complaint.legal_risks.values_list("condition", flat=True)) == {
        "same_problem_repairs",
        "repair_days",
        "part_replacements",
    }
    assert complaint.events.filter(kind=EventKind.LEGAL_RISK).count() == 3
    told = set(
        Notification.objects.filter(complaint=complaint, kind="legal_risk").values_list(
            "recipient__username", flat=True
        )
    )
    assert told == {"a-director", "a-gm", "a-deputygm"}
