"""The scheduled summaries (SPEC §7) on the store's calendar, with frozen time: Tuesday and the
2nd (feedback forms to the GM and management), the 4th (rewards and penalties to the GM and
finance), a holiday (held to the next working day), e-mail with the Excel file, in-app notice,
and the same summary on demand from the command line and the UI."""

import datetime as dt
import io

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from complaintdesk.complaints.tests.factories import new_complaint, walk
from complaintdesk.deadlines.jobs import run_due_jobs
from complaintdesk.notifications.models import Notification
from complaintdesk.reports import services as report_services
from complaintdesk.reports.tests.dataset import SH
from complaintdesk.reports.tests.factories import client_for

MINE = ("feedback_summary", "sanctions_summary")


def local(y, m, d, h=9, minute=5):
    return dt.datetime(y, m, d, h, minute, tzinfo=SH)


@pytest.fixture
def mailed(shop, other_shop):
    """Addresses for everyone; a complaint per week around the test dates."""
    for staff in (shop, other_shop):
        for _name, user in staff.users.items():
            user.email = f"{user.username}@example.com"
            user.save(update_fields=["email"])
    with time_machine.travel(local(2026, 11, 1, 12), tick=False):
        made = {
            "oct31": new_complaint(shop, received_at=local(2026, 10, 31, 23, 30)),
            "nov1": new_complaint(shop, received_at=local(2026, 11, 1, 7, 30)),
        }
    with time_machine.travel(local(2026, 11, 24, 8), tick=False):
        made["nov17"] = new_complaint(shop, received_at=local(2026, 11, 17, 10))
        made["nov23"] = new_complaint(shop, received_at=local(2026, 11, 23, 23, 50))
        made["nov24"] = new_complaint(shop, received_at=local(2026, 11, 24, 0, 10))
    return made


def numbers_in(attachment) -> set[str]:
    wb = load_workbook(io.BytesIO(attachment))
    ws = wb[wb.sheetnames[-1]]
    return {row[0] for row in ws.iter_rows(min_row=2, values_only=True)}


def feedback_mails():
    return [m for m in mail.outbox if "Store a" in m.subject]


def test_tuesday_sends_the_last_seven_days_to_the_gm_and_management(mailed, shop):
    with time_machine.travel(local(2026, 11, 24, 8, 55), tick=False):
        run_due_jobs()
    assert mail.outbox == []  # not before 09:00 local
    with time_machine.travel(local(2026, 11, 24, 9, 5), tick=False):
        run_due_jobs()
        run_due_jobs()  # once per store and day, however often the worker runs
    (m,) = feedback_mails()
    assert "2026-11-17" in m.subject and "2026-11-23" in m.subject
    assert set(m.to) == {f"a-{n}@example.com" for n in ("gm", "deputygm", "mgmt", "mgmt2")}
    (name, content, mimetype) = m.attachments[0]
    assert name.endswith(".xlsx") and "spreadsheetml" in mimetype
    # 11-17 10:00 and 11-23 23:50 local; not 11-24 00:10 (Tuesday itself).
    assert numbers_in(content) == {mailed["nov17"].number, mailed["nov23"].number}
    told = Notification.objects.filter(kind="report", title=m.subject)
    assert set(told.values_list("recipient", flat=True)) == {
        shop.gm.pk,
        shop.users["deputygm"].pk,
        shop.mgmt.pk,
        shop.users["mgmt2"].pk,
    }


def test_the_2nd_sends_the_previous_month(mailed):
    with time_machine.travel(local(2026, 12, 2, 9, 5), tick=False):
        run_due_jobs()
    (m,) = feedback_mails()
    assert "2026-11-01" in m.subject and "2026-11-30" in m.subject
    # 11-01 07:30 Shanghai is November's although it is 10-31 in UTC; 10-31 23:30 is not.
    content = m.attachments[0][1]
    assert numbers_in(content) == {mailed[k].number for k in ("nov1", "nov17", "nov23", "nov24")}


def test_the_4th_sends_rewards_and_penalties_to_the_gm_and_finance(mailed, shop):
    with time_machine.travel(local(2026, 11, 25, 12), tick=False):
        c = walk(shop, mailed["nov17"], to="complete")
        report_services.sanction_record(
            actor=shop.mgmt,
            complaint_id=c.pk,
            kind="penalty",
            amount="200",
            reason="未紧固",
            person_id=shop.advisor.pk,
        )
    with time_machine.travel(local(2026, 12, 1, 10), tick=False):
        report_services.sanction_record(
            actor=shop.mgmt,
            complaint_id=c.pk,
            kind="reward",
            amount="50",
            reason="十二月",
            person_id=shop.advisor.pk,
        )
    with time_machine.travel(local(2026, 12, 4, 9, 5), tick=False):
        run_due_jobs()
    (m,) = [m for m in feedback_mails() if "2026-11-01" in m.subject]
    assert set(m.to) == {f"a-{n}@example.com" for n in ("gm", "deputygm", "finance")}
    ws = load_workbook(io.BytesIO(m.attachments[0][1])).active
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[4], r[5]) for r in rows] == [(c.number, 200.0, "未紧固")]


def test_a_holiday_holds_the_summaries_to_the_next_working_day(mailed):
    """National Day 2026: 10-01 … 10-07 are holidays. The 2nd, Tuesday 10-06 and the 4th all fall
    inside; the first working day, Thursday 10-08, sends all three."""
    for day in (2, 4, 6):
        with time_machine.travel(local(2026, 10, day, 9, 5), tick=False):
            assert [r for r in run_due_jobs() if r[0] in MINE] == []
    assert mail.outbox == []
    with time_machine.travel(local(2026, 10, 8, 9, 5), tick=False):
        run_due_jobs()
    subjects = sorted(m.subject for m in feedback_mails())
    assert len(subjects) == 3
    periods = sorted((s.split(" ")[-3], s.split(" ")[-1]) for s in subjects)
    assert periods == [
        ("2026-09-01", "2026-09-30"),
        ("2026-09-01", "2026-09-30"),
        ("2026-09-29", "2026-10-05"),
    ]


def test_command_line_reproduces_any_past_period(mailed, shop, tmp_path):
    out = tmp_path / "nov.xlsx"
    call_command(
        "report",
        "summary",
        "--store",
        "a",
        "--from",
        "2026-11-01",
        "--to",
        "2026-11-30",
        "--out",
        str(out),
    )
    assert numbers_in(out.read_bytes()) == {
        mailed[k].number for k in ("nov1", "nov17", "nov23", "nov24")
    }
    assert mail.outbox == []
    call_command(
        "report",
        "summary",
        "--store",
        "a",
        "--from",
        "2026-11-01",
        "--to",
        "2026-11-30",
        "--out",
        str(out),
        "--send",
    )
    assert len(mail.outbox) == 1


def test_ui_reproduces_a_summary_within_scope(mailed, shop, other_shop):
    url = reverse("reports-summary-xlsx")
    params = {
        "store": shop.store.pk,
        "start": "2026-11-17",
        "end": "2026-11-23",
        "kind": "feedback",
    }
    r = client_for(shop.gm).get(url, params)
    assert r.status_code == 200
    assert numbers_in(r.content) == {mailed["nov17"].number, mailed["nov23"].number}
    assert client_for(other_shop.gm).get(url, params).status_code == 404
    assert client_for(shop.reception).get(url, params).status_code == 404
