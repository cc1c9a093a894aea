"""SPEC §7 supervision: the CS center's assessment (timeliness from the steps, proportion of the
handling), send back to management, archive, read-only archive; rewards, penalties, notices."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from complaintdesk.complaints import services, workflow
from complaintdesk.complaints.choices import Status
from complaintdesk.complaints.models import ComplaintEvent
from complaintdesk.complaints.tests.factories import new_complaint, walk
from complaintdesk.core.errors import (
    ConflictOfInterest,
    InvalidTransition,
    NotFound,
    NotPermitted,
    ValidationFailed,
)
from complaintdesk.notifications.models import Notification
from complaintdesk.reports import services as report_services
from complaintdesk.reports.models import Assessment, Notice, Sanction
from complaintdesk.reports.tests.factories import client_for


def completed(shop, **kw):
    return walk(shop, new_complaint(shop, **kw), to="record_callback")


def test_assess_measures_timeliness_from_the_steps(shop):
    # Received 3 hours ago: registration was due within 1 hour and was done just now → late.
    c = completed(shop, received_at=timezone.now() - dt.timedelta(hours=3))
    workflow.perform("assess", c.pk, actor=shop.director, proportion="ok")
    a = Assessment.objects.get(complaint=c)
    assert a.on_time is False
    assert [s["kind"] for s in a.late_steps] == ["register"]
    assert a.breaches == 0
    assert a.assessed_by == shop.director
    event = ComplaintEvent.objects.filter(complaint=c, action="assess").get()
    assert event.data["late_steps"] == ["register"]
    assert event.to_status == Status.COMPLETED  # a side action: the form stays where it is


def test_a_form_found_wanting_goes_back_then_is_archived(shop):
    c = completed(shop)
    workflow.perform(
        "assess", c.pk, actor=shop.specialist, proportion="lenient", note="处罚过轻，未按制度扣款"
    )
    # Out of proportion: archiving is refused until management has settled the fault.
    with pytest.raises(InvalidTransition):
        workflow.perform("archive", c.pk, actor=shop.director)
    workflow.perform("send_back", c.pk, actor=shop.director, comment="处理尺度过轻")
    a = Assessment.objects.get(complaint=c)
    assert a.sent_back_at is not None
    back = ComplaintEvent.objects.get(complaint=c, action="send_back", kind="transition")
    assert back.data == {"assessment": a.pk, "proportion": "lenient"}
    assert back.comment == "处理尺度过轻"
    c = workflow.perform("complete", c.pk, actor=shop.mgmt, accountability_note="已按制度扣款200元")
    c = workflow.perform(
        "record_callback",
        c.pk,
        actor=shop.caller,
        reached=True,
        satisfied=True,
        customer_words="满意",
    )
    assert c.status == Status.COMPLETED
    # Archiving now records the CS center's check of the completed form (in proportion).
    c = workflow.perform("archive", c.pk, actor=shop.director)
    assert c.status == Status.ARCHIVED
    assert Assessment.objects.filter(complaint=c).count() == 2
    assert Assessment.objects.filter(complaint=c).first().proportion == "ok"


def test_assess_refuses_involved_staff_other_roles_and_other_states(shop, other_shop):
    c = completed(shop, involved_staff=[shop.specialist.pk])
    with pytest.raises(ConflictOfInterest):
        workflow.perform("assess", c.pk, actor=shop.specialist, proportion="ok")
    with pytest.raises(NotPermitted):
        workflow.perform("assess", c.pk, actor=shop.mgmt, proportion="ok")
    with pytest.raises(NotFound):
        workflow.perform("assess", c.pk, actor=other_shop.director, proportion="ok")
    with pytest.raises(ValidationFailed) as exc:
        workflow.perform("assess", c.pk, actor=shop.director, proportion="harsh")
    assert "note" in exc.value.errors
    fresh = new_complaint(shop)
    with pytest.raises(InvalidTransition):
        workflow.perform("assess", fresh.pk, actor=shop.director, proportion="ok")
    assert not Assessment.objects.exists()
    assert not ComplaintEvent.objects.filter(action="assess").exists()


def test_archived_forms_are_read_only(shop, client):
    c = walk(shop, new_complaint(shop), to="archive")
    assert c.status == Status.ARCHIVED
    assert workflow.available_actions(c, shop.director) == []
    for name in ("assess", "send_back", "reopen", "archive", "escalate", "void"):
        with pytest.raises(InvalidTransition):
            _try(name, c, shop)
    with pytest.raises(InvalidTransition):
        services.complaint_update(
            actor=shop.director, complaint_id=c.pk, expected_version=c.version, summary="改"
        )
    client.force_login(shop.director)
    page = client.get(reverse("complaint-detail", args=[c.pk]))
    assert 'id="action-' not in page.content.decode()


def _try(name, c, shop):
    params = {
        "assess": {"proportion": "ok"},
        "send_back": {"comment": "x"},
        "reopen": {"comment": "x"},
        "archive": {},
        "escalate": {"comment": "x"},
        "void": {"reason": "x"},
    }[name]
    workflow.perform(name, c.pk, actor=shop.director, **params)


def test_rewards_and_penalties(shop, other_shop):
    c = walk(shop, new_complaint(shop, involved_staff=[shop.advisor.pk]), to="complete")
    s = report_services.sanction_record(
        actor=shop.mgmt,
        complaint_id=c.pk,
        kind="penalty",
        amount="200",
        reason="未紧固刹车片",
        person_id=shop.advisor.pk,
        department_id=shop.department("service").pk,
    )
    assert (s.amount, s.person, s.store) == (Decimal("200.00"), shop.advisor, shop.store)
    report_services.sanction_record(
        actor=shop.gm,
        complaint_id=c.pk,
        kind="reward",
        amount=50,
        reason="处理及时",
        department_id=shop.department("service").pk,
    )
    assert Sanction.objects.count() == 2
    # The CS director, another store's management, a person of another store: refused.
    with pytest.raises(NotPermitted):
        report_services.sanction_record(
            actor=shop.director,
            complaint_id=c.pk,
            kind="penalty",
            amount=1,
            reason="x",
            person_id=shop.advisor.pk,
        )
    with pytest.raises(NotFound):
        report_services.sanction_record(
            actor=other_shop.mgmt,
            complaint_id=c.pk,
            kind="penalty",
            amount=1,
            reason="x",
            person_id=shop.advisor.pk,
        )
    with pytest.raises(ValidationFailed) as exc:
        report_services.sanction_record(
            actor=shop.mgmt,
            complaint_id=c.pk,
            kind="penalty",
            amount=-1,
            reason="",
            person_id=other_shop.advisor.pk,
        )
    assert set(exc.value.errors) == {"amount", "reason", "person"}
    assert Sanction.objects.count() == 2


def test_sanctions_refuse_involved_staff(shop):
    c = new_complaint(shop, involved_staff=[shop.mgmt.pk])
    with pytest.raises(ConflictOfInterest):
        report_services.sanction_record(
            actor=shop.mgmt,
            complaint_id=c.pk,
            kind="reward",
            amount=1,
            reason="x",
            person_id=shop.mgmt.pk,
        )
    with pytest.raises(ConflictOfInterest):
        report_services.notice_issue(actor=shop.mgmt, complaint_id=c.pk, title="t", body="b")


def test_notice_only_for_a_substantiated_complaint(shop):
    c = new_complaint(shop)
    with pytest.raises(ValidationFailed):
        report_services.notice_issue(actor=shop.gm, complaint_id=c.pk, title="通报", body="内容")
    c = walk(shop, c, to="complete")
    n = report_services.notice_issue(
        actor=shop.gm, complaint_id=c.pk, title="关于刹车片未紧固的通报", body="售后服务部通报批评"
    )
    assert Notice.objects.get() == n
    told = set(Notification.objects.filter(title=n.title).values_list("recipient", flat=True))
    assert {shop.gm.pk, shop.director.pk, shop.mgmt.pk} <= told
    assert shop.reception.pk not in told


def test_panel_forms_print_view_and_store_scope(shop, other_shop):
    c = walk(shop, new_complaint(shop, involved_staff=[shop.advisor.pk]), to="complete")
    mgmt = client_for(shop.mgmt)
    r = mgmt.post(
        reverse("reports-sanction-add", args=[c.pk]),
        {"kind": "penalty", "person": shop.advisor.pk, "amount": "100", "reason": "返修"},
    )
    assert r.status_code == 302
    assert Sanction.objects.filter(complaint=c, amount=100).exists()
    assert mgmt.get(reverse("complaint-detail", args=[c.pk])).content.decode().count("返修") >= 1
    page = mgmt.get(reverse("reports-form-print", args=[c.pk]))
    assert page.status_code == 200
    assert "@page { size: A4" in page.content.decode()
    assert c.number in page.content.decode()
    stranger = client_for(other_shop.mgmt)
    assert stranger.get(reverse("reports-form-print", args=[c.pk])).status_code == 404
    r = stranger.post(
        reverse("reports-sanction-add", args=[c.pk]),
        {"kind": "penalty", "person": shop.advisor.pk, "amount": "1", "reason": "x"},
    )
    assert r.status_code == 404
    r = stranger.post(reverse("reports-notice-add", args=[c.pk]), {"title": "t", "body": "b"})
    assert r.status_code == 404
    involved = client_for(shop.advisor)
    involved.post(
        reverse("reports-sanction-add", args=[c.pk]),
        {"kind": "reward", "person": shop.advisor.pk, "amount": "1", "reason": "x"},
    )
    assert Sanction.objects.count() == 1


def test_assess_from_the_complaint_page(shop, other_shop):
    c = completed(shop, involved_staff=[shop.specialist.pk])
    director = client_for(shop.director)
    page = director.get(reverse("complaint-detail", args=[c.pk])).content.decode()
    assert 'id="assess-form"' in page
    # The person complained about is not offered the form and is refused if they post.
    involved = client_for(shop.specialist)
    assert (
        'id="assess-form"'
        not in involved.get(reverse("complaint-detail", args=[c.pk])).content.decode()
    )
    url = reverse("complaint-act", args=[c.pk, "assess"])
    body = {
        "assess-expected_version": c.version,
        "assess-proportion": "harsh",
        "assess-note": "罚款过重",
    }
    involved.post(url, body)
    assert not Assessment.objects.exists()
    assert client_for(other_shop.director).post(url, body).status_code == 404
    assert director.post(url, body).status_code == 302
    a = Assessment.objects.get()
    assert (a.proportion, a.note, a.assessed_by) == ("harsh", "罚款过重", shop.director)
