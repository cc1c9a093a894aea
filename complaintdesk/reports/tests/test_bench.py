"""The benchmark's data builder and timings work on the configured database (a small size; the
figures themselves are not asserted: this is not a timed test)."""

import io

from django.utils import timezone

from complaintdesk.complaints import services
from complaintdesk.complaints.models import Complaint, Step
from complaintdesk.org.models import Store, User
from complaintdesk.reports import bench


def test_bench_builds_and_times_the_reports(db):
    out = io.StringIO()
    result = bench.run(complaints=300, stores=3, out=out)
    assert Complaint.objects.count() == 300
    assert Complaint.objects.filter(store__code="s1").count() == 100
    assert 600 <= Step.objects.count() <= 900  # two or three steps each
    assert result["complaints"] == 300
    assert result["monthly_summary_seconds"] >= 0
    assert result["dashboard_default_view_seconds"] >= 0
    # A complaint made after the raw build gets a fresh id (the sequence was moved on).
    made = services.complaint_create(
        actor=User.objects.get(username="s0-reception"),
        store=Store.objects.get(code="s0"),
        channel="phone",
        received_at=timezone.now(),
        summary="刹车异响",
        description="bench",
    )
    assert made.pk == 301
