"""Pending matters, the reception flag, the monthly reminder and the callback queue (issue 4,
SPEC §5–§6). Expected values are worked out by hand from the spec."""

import datetime as dt
import io
import zoneinfo

import pytest
import time_machine
from django.test import Client
from openpyxl import load_workbook

from complaintdesk.complaints import workflow
from complaintdesk.complaints.choices import EventKind, Nature, Severity, Status
from complaintdesk.complaints.tests.factories import new_complaint, walk
from complaintdesk.core.errors import ConflictOfInterest, InvalidTransition, NotFound
from complaintdesk.deadlines.jobs import JOBS, run_due_jobs, scheduled_for
from complaintdesk.deadlines.policy import store_calendar
from complaintdesk.followup import selectors, services
from complaintdesk.followup.models import PendingMatter
from complaintdesk.notifications.models import Notification

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def perform(name, c, actor, **params):
    return workflow.perform(name, c.pk, actor=actor, **params)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def make_pending(shop, *, reason=Nature.PARTS_DELAY, severity=Severity.ORDINARY, **fields):
    c = new_complaint(shop, **fields)
    c = perform("accept", c, shop.manager, nature=Nature.QUALITY, severity=severity)
    c = perform("propose_pending", c, shop.manager, reason=reason, comment="配件未到，到货后回店")
    return perform("approve_pending", c, shop.gm, comment="同意列为未了事宜")


def queue_ids(user):
    return [i.complaint.pk for i in selectors.callback_queue(user)]


# --- pending matters ---------------------------------------------------------------------------


def test_gm_approval_opens_the_matter_and_the_return_closes_it(shop):
    c = make_pending(shop)
    m = PendingMatter.objects.get(complaint=c)
    assert (m.reason, m.approved_by, m.home_visit_required, m.closed_at) == (
        Nature.PARTS_DELAY,
        shop.gm,
        False,
        None,
    )
    assert [x.complaint_id for x in selectors.pending_ledger(shop.director)] == [c.pk]
    assert [
        x.complaint_id
        for x in selectors.pending_ledger(shop.manager, selectors.LedgerFilter(mine=True))
    ] == [c.pk]
    # Another customer manager's ledger ("mine") does not list it.
    assert list(selectors.pending_ledger(shop.specialist, selectors.LedgerFilter(mine=True))) == []

    services.pending_contact_record(
        actor=shop.manager,
        complaint_id=c.pk,
        channel="phone",
        outcome="reminded",
        note="配件下周到，客户答应回店",
        next_contact_on=dt.date(2099, 1, 10),
    )
    m.refresh_from_db()
    assert (m.last_contact_outcome, m.next_contact_on) == ("reminded", dt.date(2099, 1, 10))
    assert c.pk in [
        x.complaint_id
        for x in selectors.pending_ledger(
            shop.director, selectors.LedgerFilter(contact_due_by=dt.date(2099, 1, 10))
        )
    ]
    assert (
        list(
            selectors.pending_ledger(
                shop.director, selectors.LedgerFilter(contact_due_by=dt.date(2099, 1, 9))
            )
        )
        == []
    )

    services.pending_contact_record(
        actor=shop.manager,
        complaint_id=c.pk,
        channel="in_store",
        outcome="returned",
        nature=Nature.QUALITY,
        note="客户回店，检测确认刹车片质量问题",
    )
    c.refresh_from_db()
    m.refresh_from_db()
    assert (c.status, c.nature) == (Status.INVESTIGATING, Nature.QUALITY)
    assert m.closed_at is not None and m.contacts.count() == 2
    assert c.events.filter(action="resume", kind=EventKind.TRANSITION).exists()
    assert list(selectors.pending_ledger(shop.director)) == []


def test_major_complaint_needs_the_home_visit(shop):
    c = make_pending(shop, severity=Severity.MAJOR)
    m = PendingMatter.objects.get(complaint=c)
    assert m.home_visit_required is True
    services.pending_home_visit_record(
        actor=shop.manager,
        complaint_id=c.pk,
        visited_on=dt.date(2026, 1, 5),
        outcome="客户同意回店检测",
    )
    m.refresh_from_db()
    assert (m.home_visit_on, m.home_visit_by, m.home_visit_outcome) == (
        dt.date(2026, 1, 5),
        shop.manager,
        "客户同意回店检测",
    )


def test_a_returned_customer_needs_a_determined_nature(shop):
    c = make_pending(shop)
    with pytest.raises(Exception) as exc:
        services.pending_contact_record(
            actor=shop.manager,
            complaint_id=c.pk,
            channel="phone",
            outcome="returned",
            nature=Nature.PARTS_DELAY,
        )
    assert "nature" in exc.value.errors
    c.refresh_from_db()
    assert (
        c.status == Status.PENDING and not PendingMatter.objects.get(complaint=c).contacts.exists()
    )


# --- the reception flag ------------------------------------------------------------------------


def test_lookup_matches_plate_and_phone_however_typed(shop, other_shop):
    c = make_pending(
        shop,
        plate="京A·12345",
        vin="LBV3A1234CS123456",
        customer_name="张伟",
        customer_phone="+86 138-0013-8000",
    )
    closed = walk(shop, new_complaint(shop, plate="京A12345"), to="archive")
    for kind in (
        {"plate": "京a12345"},
        {"plate": "京A 12345"},
        {"phone": "13800138000"},
        {"phone": "0086 138 0013 8000"},
        {"vin": "lbv3a 1234cs123456"},
    ):
        found = selectors.lookup(shop.reception, **kind)
        assert [x.pk for x in found.complaints] == [c.pk], kind
        assert [m.complaint_id for m in found.matters] == [c.pk]
    assert closed.pk not in [
        x.pk for x in selectors.lookup(shop.reception, plate="京A12345").complaints
    ]
    assert selectors.lookup(shop.reception, plate="京A12346").complaints == []
    # Store scope: another store's receptionist sees nothing.
    assert selectors.lookup(other_shop.reception, plate="京A12345").complaints == []

    api = client_for(shop.reception).get("/api/followup/lookup", {"plate": "京a·12345"})
    assert api.status_code == 200
    body = api.json()
    assert [x["number"] for x in body["complaints"]] == [c.number]
    assert body["plate"] == "京A12345" and len(body["pending_matters"]) == 1
    assert (
        client_for(other_shop.reception)
        .get("/api/followup/lookup", {"plate": "京A12345"})
        .json()["complaints"]
        == []
    )
    empty = client_for(shop.reception).get("/api/followup/lookup")
    assert empty.status_code == 422 and empty.json()["errors"][0]["field"] == "plate"

    page = client_for(shop.reception).get("/followup/lookup/", {"q": "+86 138-0013-8000"})
    assert page.status_code == 200 and c.number in page.content.decode()
    other = client_for(other_shop.reception).get("/followup/lookup/", {"q": "京A12345"})
    assert c.number not in other.content.decode()
    # A form number or free text still goes to the complaint search.
    text = client_for(shop.reception).get("/followup/lookup/", {"q": "刹车"})
    assert text.status_code == 302 and text["Location"].startswith("/search/")


# --- the 4th-of-month reminder -----------------------------------------------------------------


def test_reminder_on_the_4th_moves_to_the_next_working_day_in_a_holiday(shop):
    """2026-10-04 is inside the National Day holiday (1–7 October); the next working day is
    Thursday 8 October. Matters pending since September are listed; one from 2 October is not."""
    with time_machine.travel(dt.datetime(2026, 9, 15, 10, 0, tzinfo=SHANGHAI), tick=False):
        old = make_pending(shop, summary="九月的未了事宜")
    with time_machine.travel(dt.datetime(2026, 10, 2, 10, 0, tzinfo=SHANGHAI), tick=False):
        new = make_pending(shop, summary="十月的未了事宜")
    job = JOBS["pending_reminders"]
    cal = store_calendar(shop.store)
    assert scheduled_for(job, dt.date(2026, 10, 4), cal) is None
    assert scheduled_for(job, dt.date(2026, 10, 8), cal) == dt.date(2026, 10, 4)
    assert [
        m.complaint_id for m in selectors.matters_to_remind(shop.store, dt.date(2026, 10, 4))
    ] == [old.pk]

    with time_machine.travel(dt.datetime(2026, 10, 4, 9, 0, tzinfo=SHANGHAI), tick=False):
        ran = run_due_jobs()
    assert ("pending_reminders", shop.store.pk, dt.date(2026, 10, 4)) not in ran
    assert not Notification.objects.filter(dedupe_key__startswith="pending-reminder").exists()

    with time_machine.travel(dt.datetime(2026, 10, 8, 8, 30, tzinfo=SHANGHAI), tick=False):
        ran = run_due_jobs()
        again = run_due_jobs()
    assert ("pending_reminders", shop.store.pk, dt.date(2026, 10, 4)) in ran
    assert ("pending_reminders", shop.store.pk, dt.date(2026, 10, 4)) not in again
    n = Notification.objects.get(dedupe_key=f"pending-reminder:{shop.store.pk}:2026-10")
    assert n.recipient == shop.manager
    assert old.number in n.body and new.number not in n.body
    assert PendingMatter.objects.get(complaint=old).last_reminded_on == dt.date(2026, 10, 4)


def test_reminder_on_a_working_4th_runs_that_day(shop):
    """2026-11-04 is a Wednesday: the reminder runs that morning from 08:00."""
    with time_machine.travel(dt.datetime(2026, 10, 20, 10, 0, tzinfo=SHANGHAI), tick=False):
        c = make_pending(shop)
    with time_machine.travel(dt.datetime(2026, 11, 4, 7, 59, tzinfo=SHANGHAI), tick=False):
        assert ("pending_reminders", shop.store.pk, dt.date(2026, 11, 4)) not in run_due_jobs()
    with time_machine.travel(dt.datetime(2026, 11, 4, 8, 0, tzinfo=SHANGHAI), tick=False):
        assert ("pending_reminders", shop.store.pk, dt.date(2026, 11, 4)) in run_due_jobs()
    assert (
        c.number
        in Notification.objects.get(
            recipient=shop.manager, dedupe_key__startswith="pending-reminder"
        ).body
    )


# --- callbacks ---------------------------------------------------------------------------------


def test_queue_membership(shop):
    handling = perform("accept", new_complaint(shop), shop.manager, nature=Nature.QUALITY)
    pending = make_pending(shop)
    marked = walk(shop, new_complaint(shop), to="complete")  # remedies include free re-repair
    plain = walk(shop, new_complaint(shop), to="determine", callback_required=True)
    no_callback = walk(shop, new_complaint(shop), to="complete", callback_required=False)
    assert marked.status == Status.CALLBACK and no_callback.status == Status.COMPLETED
    items = {i.complaint.pk: i for i in selectors.callback_queue(shop.caller)}
    assert list(items) == [marked.pk]
    assert items[marked.pk].kind == "after_service"  # free re-repair: 3 working days
    assert items[marked.pk].round == 1
    assert {handling.pk, pending.pk, plain.pk, no_callback.pk}.isdisjoint(items)


def test_serious_dissatisfaction_reopens_and_is_called_back_again(shop):
    c = walk(shop, new_complaint(shop), to="complete")
    c = perform(
        "record_callback",
        c,
        shop.caller,
        reached=True,
        satisfaction=1,
        customer_words="异响还在，非常不满意",
    )
    assert (c.status, c.tier) == (Status.INVESTIGATING, 2)
    cb = c.events.get(action="record_callback", kind=EventKind.TRANSITION)
    assert (cb.data["satisfaction"], cb.data["satisfied"]) == (1, False)
    assert cb.comment == "异响还在，非常不满意"  # the customer's words on the timeline
    assert c.pk not in queue_ids(shop.caller)  # being handled again
    # Handled again at tier 2, this time not marked for callback: still owed a second one.
    c = perform(
        "determine",
        c,
        shop.deptmgr,
        responsible_department=shop.department("service").pk,
        responsibility_finding="刹车盘磨损",
        handling_opinion="更换刹车盘",
        callback_required=False,
    )
    c = perform("review", c, shop.mgmt, agreed=True, opinion="同意")
    c = perform("decide", c, shop.gm, decision="同意")
    c = perform("complete", c, shop.mgmt, accountability_note="已处理")
    assert c.status == Status.COMPLETED
    [item] = selectors.callback_queue(shop.caller)
    assert (item.complaint.pk, item.kind, item.round, item.serious) == (c.pk, "followup", 2, True)
    c = perform(
        "record_callback",
        c,
        shop.caller,
        reached=True,
        satisfaction=4,
        customer_words="换了刹车盘，满意",
    )
    assert c.status == Status.COMPLETED
    assert queue_ids(shop.caller) == []
    with pytest.raises(InvalidTransition):
        perform("record_callback", c, shop.caller, reached=True, satisfaction=5, customer_words="x")


def test_plain_dissatisfaction_reopens_one_tier_higher(shop):
    c = walk(shop, new_complaint(shop), to="complete")
    c = perform(
        "record_callback", c, shop.caller, reached=True, satisfaction=2, customer_words="不太满意"
    )
    assert (c.status, c.tier) == (Status.INVESTIGATING, 2)
    with pytest.raises(Exception) as exc:
        perform(
            "record_callback",
            walk(shop, new_complaint(shop), to="complete"),
            shop.caller,
            reached=True,
            satisfaction=2,
            satisfied=True,
            customer_words="x",
        )
    assert "satisfaction" in exc.value.errors


def test_three_unanswered_attempts_at_different_times_make_it_unreachable(shop):
    with time_machine.travel(dt.datetime(2026, 12, 3, 8, 0, tzinfo=SHANGHAI)) as t:
        c = walk(shop, new_complaint(shop), to="complete")
        t.move_to(dt.datetime(2026, 12, 3, 9, 0, tzinfo=SHANGHAI))
        c = perform("record_callback", c, shop.caller, reached=False)
        t.move_to(dt.datetime(2026, 12, 3, 10, 0, tzinfo=SHANGHAI))  # only 1 h later: not counted
        c = perform("record_callback", c, shop.caller, reached=False)
        t.move_to(dt.datetime(2026, 12, 3, 11, 30, tzinfo=SHANGHAI))
        c = perform("record_callback", c, shop.caller, reached=False)
        assert c.status == Status.CALLBACK
        [item] = selectors.callback_queue(shop.caller)
        assert item.attempts == 3
        t.move_to(dt.datetime(2026, 12, 3, 14, 0, tzinfo=SHANGHAI))
        c = perform("record_callback", c, shop.caller, reached=False)
    attempts = [
        e.data
        for e in c.events.filter(
            action="record_callback", kind__in=selectors.CALLBACK_KINDS
        ).order_by("id")
    ]
    assert [(a["attempt"], a["counted"]) for a in attempts] == [
        (1, True),
        (1, False),
        (2, True),
        (3, True),
    ]
    assert c.status == Status.COMPLETED and attempts[-1]["unreachable"] is True
    assert queue_ids(shop.caller) == []


def test_the_person_complained_about_may_not_call_back(shop):
    c = walk(shop, new_complaint(shop, involved_staff=[shop.caller.pk]), to="complete")
    assert c.status == Status.CALLBACK
    assert c.pk not in queue_ids(shop.caller)
    assert c.pk in queue_ids(shop.specialist)
    with pytest.raises(ConflictOfInterest):
        perform(
            "record_callback", c, shop.caller, reached=True, satisfaction=5, customer_words="满意"
        )
    page = client_for(shop.caller).post(
        f"/followup/callbacks/{c.pk}/",
        {
            "reached": "true",
            "satisfaction": "5",
            "customer_words": "x",
            "expected_version": c.version,
        },
    )
    assert page.status_code == 403
    api = client_for(shop.caller).post(
        f"/api/followup/callbacks/{c.pk}/attempts",
        {"reached": True, "satisfaction": 5, "customer_words": "x"},
        content_type="application/json",
    )
    assert api.status_code == 403
    c.refresh_from_db()
    assert c.status == Status.CALLBACK
    assert not c.events.filter(action="record_callback").exists()


def test_involved_staff_may_not_record_pending_contacts(shop):
    c = new_complaint(shop, involved_staff=[shop.specialist.pk])
    c = perform("accept", c, shop.manager, nature=Nature.QUALITY)
    c = perform("propose_pending", c, shop.manager, reason=Nature.PARTS_DELAY, comment="配件未到")
    c = perform("approve_pending", c, shop.gm)
    with pytest.raises(ConflictOfInterest):
        services.pending_contact_record(
            actor=shop.specialist, complaint_id=c.pk, channel="phone", outcome="reminded"
        )
    response = client_for(shop.specialist).post(
        f"/followup/pending/{c.pk}/contact/", {"channel": "phone", "outcome": "reminded"}
    )
    assert response.status_code == 403
    api = client_for(shop.specialist).post(
        f"/api/followup/pending/{c.pk}/contacts",
        {"channel": "phone", "outcome": "reminded"},
        content_type="application/json",
    )
    assert api.status_code == 403
    visit = client_for(shop.specialist).post(
        f"/followup/pending/{c.pk}/home-visit/", {"visited_on": "2026-01-05", "outcome": "x"}
    )
    assert visit.status_code == 403
    visit_api = client_for(shop.specialist).post(
        f"/api/followup/pending/{c.pk}/home-visit",
        {"visited_on": "2026-01-05", "outcome": "x"},
        content_type="application/json",
    )
    assert visit_api.status_code == 403
    matter = PendingMatter.objects.get(complaint=c)
    assert not matter.contacts.exists() and matter.home_visit_on is None
    # Their own complaint is not on their ledger either; the other CS staff see it.
    assert list(selectors.pending_ledger(shop.specialist)) == []
    assert [m.complaint_id for m in selectors.pending_ledger(shop.director)] == [c.pk]


def test_ui_and_api_record_a_callback(shop):
    c = walk(shop, new_complaint(shop), to="complete")
    client = client_for(shop.caller)
    page = client.get("/followup/callbacks/")
    assert page.status_code == 200 and c.number in page.content.decode()
    response = client.post(
        f"/followup/callbacks/{c.pk}/",
        {
            "reached": "true",
            "satisfaction": "5",
            "customer_words": "很满意",
            "expected_version": c.version,
        },
    )
    assert response.status_code == 302
    c.refresh_from_db()
    assert c.status == Status.COMPLETED
    c2 = walk(shop, new_complaint(shop), to="complete")
    assert [x["complaint"]["number"] for x in client.get("/api/followup/callbacks").json()] == [
        c2.number
    ]
    r = client.post(
        f"/api/followup/callbacks/{c2.pk}/attempts",
        {"reached": True, "satisfaction": 1, "customer_words": "很不满意"},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["complaint"]["status"]["code"] == "investigating"


# --- store scope on every view and endpoint ----------------------------------------------------


def test_another_store_sees_nothing(shop, other_shop):
    pending = make_pending(shop, summary="甲店未了事宜")
    cb = walk(shop, new_complaint(shop, summary="甲店回访"), to="complete")
    outsider = other_shop.director
    with pytest.raises(NotFound):
        selectors.get_matter_for(outsider, pending.pk)
    assert list(selectors.pending_ledger(outsider)) == []
    assert selectors.callback_queue(outsider) == []
    client = client_for(outsider)
    assert "甲店未了事宜" not in client.get("/followup/pending/").content.decode()
    assert "甲店回访" not in client.get("/followup/callbacks/").content.decode()
    assert client.get(f"/followup/pending/{pending.pk}/").status_code == 404
    assert (
        client.post(
            f"/followup/pending/{pending.pk}/contact/", {"channel": "phone", "outcome": "reminded"}
        ).status_code
        == 404
    )
    assert (
        client.post(
            f"/followup/pending/{pending.pk}/home-visit/",
            {"visited_on": "2026-01-05", "outcome": "x"},
        ).status_code
        == 404
    )
    assert (
        client.post(
            f"/followup/callbacks/{cb.pk}/", {"reached": "false", "expected_version": 1}
        ).status_code
        == 404
    )
    wb = load_workbook(io.BytesIO(client.get("/followup/pending/export.xlsx").content))
    assert wb.active.max_row == 1  # the header only
    assert client.get("/api/followup/pending").json() == []
    assert client.get(f"/api/followup/pending/{pending.pk}").status_code == 404
    assert (
        client.post(
            f"/api/followup/pending/{pending.pk}/contacts",
            {"channel": "phone", "outcome": "reminded"},
            content_type="application/json",
        ).status_code
        == 404
    )
    assert (
        client.post(
            f"/api/followup/pending/{pending.pk}/home-visit",
            {"visited_on": "2026-01-05", "outcome": "x"},
            content_type="application/json",
        ).status_code
        == 404
    )
    assert client.get("/api/followup/callbacks").json() == []
    assert (
        client.post(
            f"/api/followup/callbacks/{cb.pk}/attempts",
            {"reached": False},
            content_type="application/json",
        ).status_code
        == 404
    )
    pending.refresh_from_db()
    cb.refresh_from_db()
    assert pending.status == Status.PENDING and cb.status == Status.CALLBACK
    assert not PendingMatter.objects.get(complaint=pending).contacts.exists()


def test_ledger_pages_and_excel_export(shop):
    c = make_pending(shop, summary='=HYPERLINK("http://x")', plate="京A12345")
    client = client_for(shop.director)
    page = client.get("/followup/pending/")
    assert page.status_code == 200 and c.number in page.content.decode()
    assert client.get(f"/followup/pending/{c.pk}/").status_code == 200
    detail = client.get(f"/complaints/{c.pk}/").content.decode()
    assert 'id="followup-panel"' in detail and f"/followup/pending/{c.pk}/" in detail
    r = client.post(
        f"/followup/pending/{c.pk}/contact/",
        {"channel": "phone", "outcome": "no_answer", "note": "-无人接听"},
    )
    assert r.status_code == 302
    wb = load_workbook(io.BytesIO(client.get("/followup/pending/export.xlsx").content))
    ws = wb.active
    assert ws.max_row == 2
    assert ws["A2"].value == c.number
    assert ws["C2"].value == '=HYPERLINK("http://x")' and ws["C2"].data_type == "s"
    assert ws["D2"].value == "京A12345"
    assert ws["L2"].value == "未联系上"  # "Not reached" in the zh-hans catalogue
    api = client.get("/api/followup/pending", {"reason": "parts_delay"}).json()
    assert [x["complaint"]["number"] for x in api] == [c.number]
    assert api[0]["last_contact_outcome"]["code"] == "no_answer"
    assert client.get("/api/followup/pending", {"reason": "customer_absent"}).json() == []


# --- the demo ----------------------------------------------------------------------------------


def test_demo_fills_the_ledgers_and_the_queue_once(db, settings):
    from django.core.management import call_command

    from complaintdesk.followup.models import PendingContact
    from complaintdesk.org.models import User

    def run():
        call_command("demo", "--no-data", stdout=io.StringIO(), stderr=io.StringIO())

    run()
    # The built-in plans leave 2 complaints pending (see test_demo), each with one contact.
    director = User.objects.get(username="director")
    caller = User.objects.get(username="caller")
    ledger = list(selectors.pending_ledger(director))
    assert len(ledger) == 2
    assert all(m.contacts.count() == 1 and m.next_contact_on for m in ledger)
    queue = selectors.callback_queue(caller)
    assert [i.complaint.status for i in queue] == [Status.CALLBACK]
    counts = (PendingMatter.objects.count(), PendingContact.objects.count())
    run()
    assert (PendingMatter.objects.count(), PendingContact.objects.count()) == counts
