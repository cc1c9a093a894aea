"""`complaintdesk due`, the due API, calendar import, policy data and the job registry."""

import datetime as dt
import io
import zoneinfo

import pytest
import time_machine
from django.core.management import CommandError, call_command

from complaintdesk.complaints.tests.factories import new_complaint
from complaintdesk.core.errors import ValidationFailed
from complaintdesk.deadlines import jobs
from complaintdesk.deadlines.models import CalendarYear, DeadlinePolicy, JobRun
from complaintdesk.deadlines.policy import DEFAULT_POLICIES
from complaintdesk.deadlines.services import calendar_import
from complaintdesk.deadlines.tasks import calendar_year_check, missing_calendar_years
from complaintdesk.notifications.models import Notification

SH = zoneinfo.ZoneInfo("Asia/Shanghai")


def due(*args) -> list[str]:
    out = io.StringIO()
    call_command("due", *args, stdout=out)
    return out.getvalue().strip().splitlines()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "last"),
    [
        (["--at", "2026-09-30 17:40", "--hours", "1", "--clock", "office"], "2026-10-08T08:40:00+08:00"),
        (["--at", "2026-09-30 17:40", "--hours", "1", "--clock", "elapsed"], "2026-09-30T18:40:00+08:00"),
        (["--at", "2026-12-03 11:20", "--hours", "1", "--clock", "office"], "2026-12-03T14:50:00+08:00"),
        (["--at", "2026-05-08 10:00", "--workdays", "1"], "2026-05-09T18:00:00+08:00"),  # in-lieu Saturday
        (["--at", "2026-12-30 10:00", "--workdays", "3"], "2027-01-04T18:00:00+08:00 provisional"),
    ],
)
def test_due_command_last_line(args, last):
    lines = due(*args)
    assert lines[-1] == last


@pytest.mark.django_db
def test_due_command_refuses_bad_arguments():
    with pytest.raises(CommandError):
        due("--at", "2026-02-30 10:00", "--workdays", "3")
    with pytest.raises(CommandError):
        due("--at", "2026-12-03 10:00", "--hours", "2")
    with pytest.raises(CommandError):
        due("--at", "2026-12-03 10:00", "--workdays", "3", "--store", "nope")
    for bad in (["--hours", "nan", "--clock", "office"], ["--hours", "999999999", "--clock", "elapsed"],
                ["--workdays", "3", "--clock", "elapsed"], ["--workdays", "100000"]):
        with pytest.raises(CommandError):
            due("--at", "2026-12-03 10:00", *bad)
    with pytest.raises(CommandError):
        due("--at", "9999-12-31 23:00", "--hours", "2", "--clock", "elapsed")


def test_due_api(shop, other_shop, client):
    client.force_login(shop.manager)
    r = client.get("/api/deadlines/due", {"at": "2026-09-30 17:40", "hours": 1, "clock": "office", "store": shop.store.pk})
    assert r.status_code == 200
    body = r.json()
    assert (body["due"], body["provisional"]) == ("2026-10-08T08:40:00+08:00", False)
    assert [d["date"] for d in body["skipped"]] == [f"2026-10-0{d}" for d in range(1, 8)]
    r = client.get("/api/deadlines/due", {"at": "2026-09-30 17:40", "workdays": 1, "store": other_shop.store.pk})
    assert r.status_code == 404
    r = client.get("/api/deadlines/due", {"at": "2026-09-30 17:40", "hours": 1, "clock": "lunar"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "clock"


def test_policy_choices_cover_every_default():
    keys = {k for k, _label in DeadlinePolicy._meta.get_field("deadline").choices}
    assert keys == set(DEFAULT_POLICIES)


@pytest.mark.django_db
def test_calendar_import_for_an_unknown_year_makes_deadlines_final():
    assert 2027 not in set(CalendarYear.objects.values_list("year", flat=True))
    assert due("--at", "2027-02-05 17:40", "--hours", "1", "--clock", "office")[-1].endswith("provisional")
    csv = "date,kind,name\n2027-02-06,休,春节\n2027-02-07,休,春节\n2027-02-08,休,春节\n2027-01-31,班,调休\n"
    result = calendar_import(data=csv.encode("gb18030"))
    assert (result["days"], result["years"]) == (4, [2027])
    # Friday 5 Feb 17:40: 20 min, weekend + 6–8 Feb closed, Tuesday 9 Feb 08:40 — final now.
    assert due("--at", "2027-02-05 17:40", "--hours", "1", "--clock", "office")[-1] == "2027-02-09T08:40:00+08:00"
    with pytest.raises(ValidationFailed) as err:
        calendar_import(data=b"date,kind\n2027-13-01,holiday\n")
    assert "row 2, column 1 (date)" in err.value.errors


def test_open_steps_move_when_a_policy_changes(shop, admin_client):
    with time_machine.travel(dt.datetime(2026, 12, 3, 10, 0, tzinfo=SH), tick=False):
        c = new_complaint(shop, received_at=dt.datetime(2026, 12, 3, 10, 0, tzinfo=SH))
    assert c.current_step.due_at == dt.datetime(2026, 12, 3, 11, 0, tzinfo=SH)
    r = admin_client.post(
        "/admin/deadlines/deadlinepolicy/add/",
        {"store": shop.store.pk, "deadline": "register", "amount": "2", "clock": "elapsed", "warn_percent": "50"},
    )
    assert r.status_code == 302
    c.current_step.refresh_from_db()
    assert c.current_step.due_at == dt.datetime(2026, 12, 3, 12, 0, tzinfo=SH)
    assert c.current_step.warn_at == dt.datetime(2026, 12, 3, 11, 0, tzinfo=SH)


def test_jobs_run_once_per_store_and_day_and_move_off_holidays(shop):
    ran = []

    @jobs.register("test_fourth", days=jobs.month_day(4), at=dt.time(9, 0), on_non_working_day=jobs.NEXT_WORKING_DAY)
    def fourth(store, day):
        ran.append((store.code, day))

    try:
        # 2026-10-04 is inside the National Day holiday: the job runs on 8 October at 09:00.
        for moment in [(10, 4, 10), (10, 7, 10), (10, 8, 8), (10, 8, 9), (10, 8, 15)]:
            month, day, hour = moment
            jobs.run_due_jobs(dt.datetime(2026, month, day, hour, 0, tzinfo=SH))
        assert ran == [("a", dt.date(2026, 10, 4))]
        assert JobRun.objects.get(job="test_fourth").day == dt.date(2026, 10, 4)
        # A working 4th runs that day.
        jobs.run_due_jobs(dt.datetime(2026, 12, 4, 9, 30, tzinfo=SH))
        assert ran[-1] == ("a", dt.date(2026, 12, 4))
    finally:
        jobs.JOBS.pop("test_fourth")


def test_administrators_are_told_from_1_december_about_next_year(shop):
    assert missing_calendar_years(dt.date(2026, 11, 30)) == []
    assert missing_calendar_years(dt.date(2026, 12, 1)) == [2027]
    calendar_year_check(shop.store, dt.date(2026, 12, 1))
    told = set(Notification.objects.filter(kind="calendar_missing").values_list("recipient__username", flat=True))
    assert told == {"a-director", "a-storemgr"}


def test_worker_schedules_sweep_and_jobs_every_minute(shop):
    from huey.contrib.djhuey import HUEY

    from complaintdesk.deadlines import tasks

    # Huey's consumer asks which periodic tasks are due each minute (naive UTC, utc=True).
    for minute in (dt.datetime(2026, 12, 3, 1, 0), dt.datetime(2026, 12, 3, 1, 37)):  # noqa: DTZ001
        names = {t.name for t in HUEY.read_periodic(minute)}
        assert {"sweep_deadlines", "calendar_jobs"} <= names
    with time_machine.travel(dt.datetime(2026, 12, 3, 9, 0, tzinfo=SH), tick=False):
        c = new_complaint(shop, received_at=dt.datetime(2026, 12, 3, 9, 0, tzinfo=SH))
    with time_machine.travel(dt.datetime(2026, 12, 3, 10, 30, tzinfo=SH), tick=False):
        tasks.sweep_deadlines.call_local()
    c.refresh_from_db()
    assert c.tier == 2  # the 1 h register step was missed and escalated by the worker's task
