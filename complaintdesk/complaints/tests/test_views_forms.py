"""The staff UI's writes: intake form, correction with a stale-version check, workflow actions
from the complaint page, being absent. Through HTTP, asserting what was (and was not) written."""

import datetime as dt
import re
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from complaintdesk.complaints import services, workflow
from complaintdesk.complaints.choices import EventKind, Nature, Status, StepKind
from complaintdesk.complaints.models import Complaint, ComplaintEvent
from complaintdesk.complaints.tests.factories import new_complaint, walk
from complaintdesk.org.models import User

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
UTC = dt.UTC
NOW = dt.datetime(2026, 12, 3, 10, 0, tzinfo=SHANGHAI)  # 02:00 UTC


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def as_user(client, user):
    client.force_login(user)
    return client


def token_of(html: str) -> str:
    match = re.search(r'name="idempotency_key" value="([0-9a-f]{32})"', html)
    assert match, "no idempotency token in the form"
    return match.group(1)


def intake(token, **extra):
    data = {
        "idempotency_key": token,
        "store": extra.pop("store"),
        "channel": "phone",
        "received_at": "2026-12-03T09:30",
        "summary": "保养后刹车异响",
        "description": "客户来电：上周保养后刹车异响。",
        "customer_name": "张先生",
        "customer_phone": "138 0013 8000",
        "plate": "京A·12345",
        "severity": "ordinary",
    }
    data.update(extra)
    return data


# --- new complaint ------------------------------------------------------------------------------


def test_new_complaint_form_creates_and_numbers(client, shop, frozen):
    as_user(client, shop.reception)
    page = client.get(reverse("complaint-new"))
    html = page.content.decode()
    # The receipt time defaults to now in the store's time zone.
    assert 'value="2026-12-03T10:00"' in html
    token = token_of(html)
    staff = [shop.advisor.pk, shop.deptmgr.pk]
    response = client.post(
        reverse("complaint-new"),
        intake(
            token,
            store=shop.store.pk,
            involved_staff=staff,
            nature="quality",
            repair_order="RO-1001",
        ),
    )
    c = Complaint.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("complaint-detail", args=[c.pk])
    assert c.number == "FK-202612-0001"
    # 09:30 typed on the form is Shanghai time: 01:30 UTC.
    assert c.received_at == dt.datetime(2026, 12, 3, 1, 30, tzinfo=UTC)
    assert (c.channel, c.nature, c.repair_order, c.received_by) == (
        "phone",
        "quality",
        "RO-1001",
        shop.reception,
    )
    assert c.customer.phone_normalized == "13800138000"
    assert c.vehicle.plate_normalized == "京A12345"
    assert sorted(c.involved_staff.values_list("pk", flat=True)) == sorted(staff)
    detail = client.get(response["Location"]).content.decode()
    assert "投诉 FK-202612-0001 已登记。" in detail


def test_double_submit_with_the_same_token_creates_one_complaint(client, shop, frozen):
    as_user(client, shop.reception)
    token = token_of(client.get(reverse("complaint-new")).content.decode())
    first = client.post(reverse("complaint-new"), intake(token, store=shop.store.pk))
    second = client.post(reverse("complaint-new"), intake(token, store=shop.store.pk))
    assert Complaint.objects.count() == 1
    assert first["Location"] == second["Location"]
    # A fresh form has a fresh token and makes a second complaint.
    other = token_of(client.get(reverse("complaint-new")).content.decode())
    assert other != token
    client.post(reverse("complaint-new"), intake(other, store=shop.store.pk))
    assert Complaint.objects.count() == 2


def test_service_errors_land_on_the_form_fields(client, shop, frozen):
    as_user(client, shop.reception)
    token = "a" * 32
    response = client.post(
        reverse("complaint-new"),
        intake(token, store=shop.store.pk, plate="ABC", vin="123", received_at="2026-12-04T09:00"),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) >= {"plate", "vin", "received_at"}
    html = response.content.decode()
    assert "不是有效的车牌号" in html and "接收时间不能晚于当前时间" in html
    assert Complaint.objects.count() == 0
    # The same token is kept, so correcting and resending still creates exactly one.
    assert token_of(html) == token
    client.post(reverse("complaint-new"), intake(token, store=shop.store.pk))
    client.post(reverse("complaint-new"), intake(token, store=shop.store.pk))
    assert Complaint.objects.count() == 1


def test_new_form_rejects_bad_input_without_500(client, shop, other_shop, frozen):
    as_user(client, shop.reception)
    for bad in (
        {"received_at": "2026-02-30T10:00"},
        {"received_at": "yesterday"},
        {"channel": "pigeon"},
        {"store": str(other_shop.store.pk)},
        {"involved_staff": [str(other_shop.manager.pk)]},
        {"summary": ""},
    ):
        data = {"store": str(shop.store.pk), **bad}
        response = client.post(reverse("complaint-new"), intake("b" * 32, **data))
        assert response.status_code == 200, bad
        assert response.context["form"].errors, bad
    assert Complaint.objects.count() == 0


def test_staff_choices_are_the_stores_users(client, shop, other_shop):
    as_user(client, shop.reception)
    form = client.get(reverse("complaint-new")).context["form"]
    choices = {pk for pk, _label in form.fields["involved_staff"].choices}
    assert shop.advisor.pk in choices and shop.gm.pk in choices
    assert other_shop.advisor.pk not in choices
    assert form.fields["store"].widget.is_hidden  # a single store is not a choice to make


# --- edit details -------------------------------------------------------------------------------


def edit_data(c, **changes):
    data = {
        "expected_version": c.version,
        "channel": c.channel,
        "summary": c.summary,
        "description": c.description,
        "customer_name": c.customer.name if c.customer else "",
        "customer_phone": c.customer.phone if c.customer else "",
        "plate": c.vehicle.plate if c.vehicle else "",
    }
    data.update(changes)
    return data


def test_edit_saves_only_what_changed(client, shop, frozen):
    c = new_complaint(shop, customer_name="李女士", customer_phone="13900139000")
    as_user(client, shop.manager)
    page = client.get(reverse("complaint-edit", args=[c.pk]))
    assert page.status_code == 200
    assert 'name="expected_version" value="1"' in page.content.decode()
    response = client.post(
        reverse("complaint-edit", args=[c.pk]), edit_data(c, summary="保养后刹车异响（更正）")
    )
    assert response.status_code == 302
    c.refresh_from_db()
    assert (c.summary, c.version) == ("保养后刹车异响（更正）", 2)
    event = c.events.get(kind=EventKind.EDITED)
    assert event.changes == {"summary": ["保养后刹车异响", "保养后刹车异响（更正）"]}
    assert event.actor == shop.manager


def test_stale_edit_is_refused_with_a_conflict_message(client, shop, frozen):
    c = new_complaint(shop)
    as_user(client, shop.manager)
    stale = edit_data(c, summary="我的修改")
    # Meanwhile the director corrects the description.
    services.complaint_update(
        actor=shop.director, complaint_id=c.pk, expected_version=1, description="总监的更正"
    )
    response = client.post(reverse("complaint-edit", args=[c.pk]), stale)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="conflict"' in html
    assert "其他人已修改了它" in html
    assert "我的修改" in html  # the user's input is still there to be applied again
    c.refresh_from_db()
    assert (c.summary, c.description, c.version) == ("保养后刹车异响", "总监的更正", 2)
    assert c.events.filter(kind=EventKind.EDITED).count() == 1


def test_edit_is_for_the_cs_center_only(client, shop, frozen):
    c = new_complaint(shop)
    as_user(client, shop.reception)
    html = client.get(reverse("complaint-detail", args=[c.pk])).content.decode()
    assert reverse("complaint-edit", args=[c.pk]) not in html
    response = client.post(reverse("complaint-edit", args=[c.pk]), edit_data(c, summary="x"))
    assert response.status_code == 302
    c.refresh_from_db()
    assert c.summary == "保养后刹车异响" and c.version == 1


def test_edit_with_nothing_changed_writes_nothing(client, shop, frozen):
    c = new_complaint(shop, customer_name="王先生")  # a customer without a phone
    as_user(client, shop.manager)
    response = client.post(reverse("complaint-edit", args=[c.pk]), edit_data(c), follow=True)
    assert "没有任何修改" in response.content.decode()
    c.refresh_from_db()
    assert c.version == 1
    assert c.customer.__class__.objects.count() == 1  # no second customer record


# --- actions ------------------------------------------------------------------------------------


def act(client, c, name, **fields):
    data = {f"{name}-expected_version": c.version}
    data.update({f"{name}-{k}": v for k, v in fields.items()})
    return client.post(reverse("complaint-act", args=[c.pk, name]), data)


def test_detail_shows_exactly_the_available_actions(client, shop, frozen):
    c = new_complaint(shop)
    pages = {
        "manager": shop.manager,
        "director": shop.director,
        "reception": shop.reception,
        "gm": shop.gm,
    }
    for who, user in pages.items():
        as_user(client, user)
        html = client.get(reverse("complaint-detail", args=[c.pk])).content.decode()
        shown = set(re.findall(rf"/complaints/{c.pk}/act/([a-z_]+)/", html))
        expected = {a.name for a in workflow.available_actions(c, user)}
        assert shown == expected, who
    # By hand (received, tier 1): the GM may change the severity but not register the form; the
    # CS director may register, judge, escalate, change severity and void, but nothing of a
    # later step.
    assert "set_severity" in expected and "accept" not in expected
    as_user(client, shop.director)
    html = client.get(reverse("complaint-detail", args=[c.pk])).content.decode()
    shown = set(re.findall(rf"/complaints/{c.pk}/act/([a-z_]+)/", html))
    assert {"accept", "judge_unfounded", "escalate", "set_severity", "void"} <= shown
    assert not shown & {"determine", "review", "decide", "complete", "record_callback", "archive"}
    as_user(client, shop.reception)
    html = client.get(reverse("complaint-detail", args=[c.pk])).content.decode()
    assert "/act/" not in html


def test_action_form_moves_the_complaint_and_records_it(client, shop, frozen):
    c = new_complaint(shop)
    as_user(client, shop.manager)
    service = shop.department("service")
    response = act(client, c, "accept", nature="quality", concerned_department=service.pk)
    assert response.status_code == 302
    c.refresh_from_db()
    assert (c.status, c.nature, c.concerned_department, c.customer_manager) == (
        Status.INVESTIGATING,
        "quality",
        service,
        shop.manager,
    )
    page = client.get(reverse("complaint-detail", args=[c.pk])).content.decode()
    assert "已完成：受理登记。" in page
    assert "责任判定中" in page
    # The timeline: local time, actor, the action, the status change and the field changes.
    timeline = page.split('id="timeline"')[1]
    assert "2026-12-03 10:00" in timeline and "钱客户经理" in timeline
    assert "已接收，待受理登记 → 责任判定中" in timeline
    assert "投诉性质:" in timeline and "质量问题" in timeline
    assert "涉及部门:" in timeline and "售后服务部" in timeline

    response = act(
        client,
        c,
        "determine",
        responsible_department=service.pk,
        responsibility_finding="技师未按规范紧固",
        handling_opinion="免费返修并致歉",
        remedies=["apology", "free_rerepair"],
        callback_required="on",
    )
    assert response.status_code == 302
    c.refresh_from_db()
    assert c.status == Status.MANAGEMENT_REVIEW
    assert c.remedies == ["apology", "free_rerepair"]
    assert (c.callback_required, c.customer_informed) == (True, False)


def test_action_validation_errors_show_on_that_form(client, shop, frozen):
    c = walk(shop, new_complaint(shop), to="accept")
    as_user(client, shop.manager)
    response = act(client, c, "determine", responsible_department="", handling_opinion="x")
    assert response.status_code == 200
    forms = {f.action.name: f for f in response.context["action_forms"]}
    assert set(forms["determine"].errors) == {"responsible_department", "responsibility_finding"}
    html = response.content.decode()
    assert '<details class="list-group-item action-item" id="action-determine" open>' in html
    assert "此项为必填项。" in html
    c.refresh_from_db()
    assert (c.status, c.version) == (Status.INVESTIGATING, 2)


def test_callback_yes_no_none_is_meaningful(client, shop, frozen):
    c = walk(shop, new_complaint(shop), to="complete")
    assert c.status == Status.CALLBACK
    as_user(client, shop.caller)
    # Reached but satisfaction not said: refused with the error on "satisfied".
    response = act(client, c, "record_callback", reached="true", customer_words="还行")
    forms = {f.action.name: f for f in response.context["action_forms"]}
    assert "satisfied" in forms["record_callback"].errors
    # Not reached: an attempt, the complaint stays in callback.
    act(client, c, "record_callback", reached="false")
    c.refresh_from_db()
    assert c.status == Status.CALLBACK
    assert c.events.filter(kind=EventKind.CALLBACK_ATTEMPT).count() == 1
    act(client, c, "record_callback", reached="true", satisfied="true", customer_words="很满意")
    c.refresh_from_db()
    assert c.status == Status.COMPLETED
    page = client.get(reverse("complaint-detail", args=[c.pk])).content.decode()
    assert '客户原话:</span> “<span class="text-block">很满意</span>”' in page


def test_stale_action_form_is_refused(client, shop, frozen):
    c = new_complaint(shop)
    as_user(client, shop.manager)
    stale_version = c.version
    workflow.perform("set_severity", c.pk, actor=shop.director, severity="major")
    events = ComplaintEvent.objects.filter(complaint=c).count()
    response = client.post(
        reverse("complaint-act", args=[c.pk, "accept"]),
        {"accept-expected_version": stale_version, "accept-nature": "quality"},
        follow=True,
    )
    assert "其他人已修改了它" in response.content.decode()
    c.refresh_from_db()
    assert c.status == Status.RECEIVED
    assert ComplaintEvent.objects.filter(complaint=c).count() == events


def test_action_not_allowed_for_the_role_writes_nothing(client, shop, frozen):
    c = new_complaint(shop)
    as_user(client, shop.reception)
    response = client.post(
        reverse("complaint-act", args=[c.pk, "accept"]),
        {"accept-expected_version": 1, "accept-nature": "quality"},
        follow=True,
    )
    assert "需要您在本门店担任以下角色之一" in response.content.decode()
    c.refresh_from_db()
    assert (c.status, c.version) == (Status.RECEIVED, 1)
    unknown = client.post(reverse("complaint-act", args=[c.pk, "explode"]), {})
    assert unknown.status_code == 404
    assert client.get(reverse("complaint-act", args=[c.pk, "accept"])).status_code == 405


def test_department_choices_are_the_complaints_store(client, shop, other_shop, frozen):
    c = walk(shop, new_complaint(shop), to="accept")
    as_user(client, shop.manager)
    response = act(
        client,
        c,
        "determine",
        responsible_department=other_shop.department("service").pk,
        responsibility_finding="x",
        handling_opinion="y",
    )
    forms = {f.action.name: f for f in response.context["action_forms"]}
    assert "responsible_department" in forms["determine"].errors
    choices = {str(v) for v, _l in forms["determine"].fields["responsible_department"].choices}
    assert str(shop.department("service").pk) in choices
    assert str(other_shop.department("service").pk) not in choices
    c.refresh_from_db()
    assert c.status == Status.INVESTIGATING


def test_workflow_b_from_the_page(client, shop, frozen):
    c = walk(shop, new_complaint(shop), to="accept", nature=Nature.PARTS_DELAY)
    as_user(client, shop.manager)
    act(client, c, "propose_pending", reason="parts_delay", comment="配件未到，请客户到货后回店")
    c.refresh_from_db()
    assert c.status == Status.PENDING_APPROVAL
    gm = client.__class__()
    assert c.number in as_user(gm, shop.gm).get("/").content.decode()
    act(gm, c, "approve_pending")
    c.refresh_from_db()
    assert c.status == Status.PENDING
    html = client.get(reverse("complaint-detail", args=[c.pk])).content.decode()
    assert "此步骤没有期限。" in html


# --- absent / on duty ---------------------------------------------------------------------------


def test_marking_oneself_absent_hands_steps_to_the_secondary(client, shop, frozen):
    c = new_complaint(shop)
    # The register step belongs to the CS center: primary the manager, secondary the specialist.
    assert c.current_step.assignee == shop.manager
    as_user(client, shop.manager)
    response = client.post(reverse("set-absent"), {"absent": "1", "next": "/complaints/"})
    assert response.status_code == 302 and response["Location"] == "/complaints/"
    assert User.objects.get(pk=shop.manager.pk).is_absent
    c.refresh_from_db()
    assert c.current_step.kind == StepKind.REGISTER
    assert c.current_step.assignee == shop.specialist
    html = client.get("/").content.decode()
    assert "已标记为不在岗，1 个未完成步骤已转交。" in html
    assert "我已恢复在岗" in html
    client.post(reverse("set-absent"), {"absent": "0", "next": "https://evil.example/"})
    assert not User.objects.get(pk=shop.manager.pk).is_absent


# --- legal deadlines (SPEC §9) ------------------------------------------------------------------


def test_legal_deadlines_show_and_date_fields_parse(client, shop, frozen):
    c = new_complaint(shop, received_at=NOW - dt.timedelta(minutes=30))
    as_user(client, shop.director)
    html = client.get(reverse("complaint-detail", args=[c.pk])).content.decode()
    # Consumer notice: 7 working days, start day (Thu 3 Dec) not counted → Mon 14 Dec, at the
    # close of the CS center's office hours (18:00, SPEC §8).
    legal = html.split("法定期限")[1].split("</div>\n      </div>")[0]
    assert "2026-12-14 18:00" in legal

    bad = act(client, c, "record_referral", reference="12315-2026-001", accept_by="2026-02-30")
    assert bad.status_code == 200
    forms = {f.action.name: f for f in bad.context["action_forms"]}
    assert "accept_by" in forms["record_referral"].errors
    c.refresh_from_db()
    assert c.regulator_reference == "" and c.version == 1

    ok = act(client, c, "record_referral", reference="12315-2026-001", accept_by="2026-12-10")
    assert ok.status_code == 302
    c.refresh_from_db()
    assert c.regulator_reference == "12315-2026-001"
    html = client.get(reverse("complaint-detail", args=[c.pk])).content.decode()
    legal = html.split("法定期限")[1].split("</div>\n      </div>")[0]
    # The regulator's date: the end of 10 December in the store.
    assert "2026-12-11 00:00" in legal


def test_a_user_without_a_store_cannot_register(client, shop, frozen):
    nobody = User.objects.create_user("nobody", password="x-pass-123")
    as_user(client, nobody)
    page = client.get(reverse("complaint-new"))
    assert page.status_code == 200
    assert "您在任何门店都没有角色" in page.content.decode()
    response = client.post(reverse("complaint-new"), intake("c" * 32, store=shop.store.pk))
    assert response.status_code == 200 and "store" in response.context["form"].errors
    assert Complaint.objects.count() == 0
    assert client.get("/").status_code == 200
    assert client.get(reverse("complaint-list")).context["page"].paginator.count == 0


def test_every_action_parameter_has_a_labelled_field(shop):
    """A new action or parameter must get a (translated) label in action_forms.LABELS, or its
    field would show the bare parameter name to a Chinese-speaking user."""
    from complaintdesk.complaints.action_forms import ACTION_LABELS, LABELS, ActionForm

    c = new_complaint(shop)
    for act in workflow.ACTIONS.values():
        form = ActionForm(act, c)
        for name in act.params:
            assert name in LABELS or (act.name, name) in ACTION_LABELS, (act.name, name)
            assert name in form.fields, (act.name, name)
