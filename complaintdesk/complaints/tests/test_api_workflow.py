"""Workflow actions and edits through the REST API: the right people move a complaint along
workflow A; everybody else is refused, and a refusal writes nothing. Store access: another
store's complaint does not exist for the caller. Conflict of interest: the staff complained
about may take no action and make no edit (SPEC §1)."""

import datetime as dt

import pytest

from complaintdesk.complaints import services, workflow
from complaintdesk.complaints.models import Complaint, ComplaintEvent
from complaintdesk.complaints.tests.test_api import (
    client_for,
    create,
    error_fields,
    fast_passwords,  # noqa: F401  (autouse fixture)
    frozen_time,  # noqa: F401  (autouse fixture)
    send,
)


def valid_body(shop, name: str) -> dict:
    """A body each action accepts, so that a refusal is about who and when, never about what."""
    service = shop.department("service").pk
    return {
        "accept": {"nature": "quality", "concerned_department": service},
        "mark_unreachable": {},
        "determine": {
            "responsible_department": service,
            "responsibility_finding": "维修时未紧固刹车片",
            "handling_opinion": "免费返修，向客户道歉",
        },
        "change_nature": {"nature": "attitude", "comment": "经核实为服务态度问题"},
        "propose_pending": {"reason": "parts_delay", "comment": "配件未到"},
        "approve_pending": {},
        "reject_pending": {"comment": "责任可以确定"},
        "resume": {"nature": "quality"},
        "judge_unfounded": {"outcome": "unfounded", "explanation": "经查与事实不符"},
        "settle_by_script": {"script": "delay", "branch": "waits-informed"},
        "review": {"agreed": True, "opinion": "同意处理意见"},
        "decide": {"decision": "同意"},
        "complete": {"accountability_note": "已对责任人进行处罚"},
        "record_callback": {"reached": True, "satisfied": True, "customer_words": "满意"},
        "archive": {},
        "assess": {"proportion": "ok"},
        "send_back": {"comment": "处理尺度不当"},
        "reopen": {"comment": "客户仍不满意"},
        "escalate": {"comment": "升级处理"},
        "set_severity": {"severity": "major"},
        "void": {"reason": "重复登记"},
        "pause_clock": {"comment": "客户出差，下周回电"},
        "resume_clock": {},
        "inform_customer": {"how": "电话告知已受理"},
        "record_referral": {"reference": "12315-2026-0001"},
        "record_refund_request": {"comment": "客户要求退车"},
        "answer_refund": {"answer": "同意换车"},
        "complete_refund": {"comment": "已换车"},
    }[name]


def test_valid_bodies_cover_every_action(shop):
    for name in workflow.ACTIONS:
        assert isinstance(valid_body(shop, name), dict)


def act(user, complaint_id, name, body=None, **extra):
    return send(
        client_for(user),
        "post",
        f"/api/complaints/{complaint_id}/actions/{name}",
        body if body is not None else {},
        **extra,
    )


def events_of(complaint_id) -> int:
    return ComplaintEvent.objects.filter(complaint_id=complaint_id).count()


def test_workflow_a_end_to_end_through_the_api(shop):
    """SPEC §4: receive → register → determine → review → GM decision → accountability →
    callback → archive, each by the role the procedure names."""
    complaint = create(client_for(shop.reception), shop)
    cid = complaint["id"]
    service = shop.department("service").pk

    steps = [
        (shop.manager, "accept", {"nature": "quality", "concerned_department": service}),
        (
            shop.manager,
            "determine",
            {
                "responsible_department": service,
                "responsibility_finding": "维修时未紧固刹车片",
                "handling_opinion": "免费返修，向客户道歉",
                "remedies": ["apology", "free_rerepair"],
                "callback_required": True,
                "customer_informed": True,
            },
        ),
        (shop.mgmt, "review", {"agreed": True, "opinion": "同意处理意见"}),
        (shop.gm, "decide", {"decision": "同意，返修费用由我方承担"}),
        (shop.mgmt, "complete", {"accountability_note": "已对责任人进行处罚并面谈"}),
        (
            shop.caller,
            "record_callback",
            {"reached": True, "satisfied": True, "customer_words": "修好了，满意"},
        ),
        (shop.specialist, "archive", {}),
    ]
    expected_status = [
        "investigating",
        "management_review",
        "gm_decision",
        "accountability",
        "callback",
        "completed",
        "archived",
    ]
    version = complaint["version"]
    for (user, name, body), status in zip(steps, expected_status, strict=True):
        before = client_for(user).get(f"/api/complaints/{cid}").json()
        assert name in [a["name"] for a in before["available_actions"]], name
        response = act(user, cid, name, {**body, "expected_version": version})
        assert response.status_code == 200, (name, response.content)
        after = response.json()
        assert after["status"]["code"] == status
        assert after["version"] == version + 1
        version = after["version"]

    final = client_for(shop.director).get(f"/api/complaints/{cid}").json()
    assert final["responsible_department"]["id"] == service
    assert [r["code"] for r in final["remedies"]] == ["apology", "free_rerepair"]
    assert final["management_agreed"] is True
    assert final["gm_decision"] == "同意，返修费用由我方承担"
    assert final["outcome"]["code"] == "resolved"
    assert final["customer_manager"]["id"] == shop.manager.pk
    assert final["current_step"] is None
    assert final["closed_at"] == "2026-12-03T17:00:00+08:00"
    assert final["available_actions"] == []

    timeline = client_for(shop.director).get(f"/api/complaints/{cid}/events").json()
    moves = [e["action"] for e in timeline if e["kind"]["code"] in {"created", "transition"}]
    assert moves == [
        "create",
        "accept",
        "determine",
        "review",
        "decide",
        "complete",
        "record_callback",
        "archive",
    ]
    callback = next(e for e in timeline if e["action"] == "record_callback")
    assert callback["actor"]["id"] == shop.caller.pk
    assert callback["data"]["customer_words"] == "修好了，满意"


@pytest.fixture
def in_review(shop):
    complaint = create(client_for(shop.reception), shop)
    workflow.perform("accept", complaint["id"], actor=shop.manager, nature="quality")
    workflow.perform(
        "determine", complaint["id"], actor=shop.manager, **valid_body(shop, "determine")
    )
    return complaint["id"]


@pytest.mark.parametrize("user", ["reception", "advisor", "caller", "manager", "gm", "finance"])
def test_a_role_the_step_does_not_name_is_refused_and_nothing_is_written(shop, in_review, user):
    before = events_of(in_review)
    response = act(getattr(shop, user), in_review, "review", valid_body(shop, "review"))
    assert response.status_code == 403
    assert response.json()["code"] == "not_permitted"
    assert events_of(in_review) == before
    assert Complaint.objects.get(pk=in_review).status == "management_review"


def test_missing_action_fields_are_422_naming_them(shop, in_review):
    response = act(shop.mgmt, in_review, "review", {"opinion": ""})
    assert response.status_code == 422
    assert error_fields(response) == {"agreed"}
    response = act(shop.mgmt, in_review, "review", {"agreed": "perhaps", "opinion": "x"})
    assert error_fields(response) == {"agreed"}
    response = act(shop.mgmt, in_review, "review", {"agreed": True, "opinion": "  "})
    assert response.status_code == 422
    assert error_fields(response) == {"opinion"}
    response = act(shop.mgmt, in_review, "review", {"agreed": True, "opinion": "x", "extra": 1})
    assert error_fields(response) == {"extra"}
    assert Complaint.objects.get(pk=in_review).status == "management_review"


def test_actions_on_a_voided_complaint_are_409(shop):
    complaint = create(client_for(shop.reception), shop)
    cid = complaint["id"]
    assert act(shop.director, cid, "void", {"reason": "重复登记"}).status_code == 200
    before = events_of(cid)
    for name in ["accept", "archive", "void", "escalate"]:
        response = act(shop.director, cid, name, valid_body(shop, name))
        assert response.status_code == 409, name
        assert response.json()["code"] == "invalid_transition"
    edit = send(client_for(shop.manager), "patch", f"/api/complaints/{cid}", {"version": 2})
    assert edit.status_code == 409
    assert events_of(cid) == before


def test_archived_complaint_refuses_further_transitions(shop, in_review):
    for user, name in [
        (shop.mgmt, "review"),
        (shop.gm, "decide"),
        (shop.mgmt, "complete"),
        (shop.caller, "record_callback"),
        (shop.specialist, "archive"),
    ]:
        assert act(user, in_review, name, valid_body(shop, name)).status_code == 200, name
    before = events_of(in_review)
    response = act(shop.specialist, in_review, "archive", {})
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"
    response = act(shop.director, in_review, "reopen", {"comment": "客户又来电"})
    assert response.status_code == 409
    assert events_of(in_review) == before


def test_stale_action_is_409(shop, in_review):
    before = events_of(in_review)
    response = act(
        shop.mgmt, in_review, "review", {**valid_body(shop, "review"), "expected_version": 1}
    )
    assert response.status_code == 409
    assert response.json()["code"] == "stale_version"
    assert events_of(in_review) == before


def test_edit_with_the_version_last_seen(shop):
    complaint = create(client_for(shop.reception), shop, vin=None)
    cid = complaint["id"]
    manager, specialist = client_for(shop.manager), client_for(shop.specialist)
    seen = manager.get(f"/api/complaints/{cid}").json()["version"]

    ok = send(
        specialist,
        "patch",
        f"/api/complaints/{cid}",
        {"version": seen, "summary": "刹车异响（已核实）", "plate": "京A54321"},
    )
    assert ok.status_code == 200, ok.content
    assert ok.json()["summary"] == "刹车异响（已核实）"
    assert ok.json()["plate"] == "京A54321"
    assert ok.json()["version"] == seen + 1
    assert ok.json()["description"] == complaint["description"]  # not sent, not changed

    before = events_of(cid)
    stale = send(manager, "patch", f"/api/complaints/{cid}", {"version": seen, "summary": "覆盖"})
    assert stale.status_code == 409
    assert stale.json()["code"] == "stale_version"
    assert Complaint.objects.get(pk=cid).summary == "刹车异响（已核实）"
    assert events_of(cid) == before

    edit = ComplaintEvent.objects.get(complaint_id=cid, action="edit")
    assert edit.actor == shop.specialist
    assert edit.changes["summary"] == ["刹车异响", "刹车异响（已核实）"]


def test_edit_refuses_bad_values_and_roles(shop):
    complaint = create(client_for(shop.reception), shop)
    cid = complaint["id"]
    manager = client_for(shop.manager)
    for body, field in [
        ({"summary": "x"}, "version"),
        ({"version": 1, "vin": "123"}, "vin"),
        ({"version": 1, "summary": ""}, "summary"),
        ({"version": 1, "channel": "fax"}, "channel"),
        ({"version": 1, "status": "archived"}, "status"),
        ({"version": 1, "description": "很" * 100_000}, "description"),
    ]:
        response = send(manager, "patch", f"/api/complaints/{cid}", body)
        assert response.status_code == 422, body
        assert field in error_fields(response)
    # Only the customer service center corrects a form.
    response = send(client_for(shop.reception), "patch", f"/api/complaints/{cid}", {"version": 1})
    assert response.status_code == 403
    stored = Complaint.objects.get(pk=cid)
    assert (stored.version, stored.summary, stored.status) == (1, "刹车异响", "received")


# ---------------------------------------------------------------------------------------------
# Store access: another store's complaint is simply not found, whoever asks.


def test_another_stores_complaint_is_404_on_every_endpoint(shop, other_shop):
    cid = create(client_for(shop.reception), shop)["id"]
    number = Complaint.objects.get(pk=cid).number
    before = events_of(cid)
    for user in other_shop.users.values():
        client = client_for(user)
        assert client.get(f"/api/complaints/{cid}").status_code == 404
        assert client.get(f"/api/complaints/{cid}/events").status_code == 404
        assert client.get(f"/api/complaints/by-number/{number}").status_code == 404
        assert client.get("/api/complaints").json()["count"] == 0
        response = send(client, "patch", f"/api/complaints/{cid}", {"version": 1, "summary": "x"})
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
    director = other_shop.director  # holds every CS center role a step could need
    for name in workflow.ACTIONS:
        response = act(director, cid, name, valid_body(shop, name))
        assert response.status_code == 404, name
        assert response.json()["code"] == "not_found"
    assert events_of(cid) == before
    assert Complaint.objects.get(pk=cid).version == 1


def test_superuser_flags_grant_no_store(shop):
    cid = create(client_for(shop.reception), shop)["id"]
    admin = type(shop.manager).objects.create_user(
        "root", password="test-pass-123", is_staff=True, is_superuser=True
    )
    client = client_for(admin)
    assert client.get(f"/api/complaints/{cid}").status_code == 404
    assert client.get("/api/complaints").json()["count"] == 0
    assert act(admin, cid, "void", {"reason": "x"}).status_code == 404


# ---------------------------------------------------------------------------------------------
# Conflict of interest (SPEC §1): the staff complained about may take no action, in any state.


def test_involved_staff_are_refused_every_action_and_every_edit(shop):
    cid = create(client_for(shop.reception), shop, involved_staff=[shop.manager.pk, shop.mgmt.pk])[
        "id"
    ]
    service = shop.department("service").pk
    # Driven by people who are not involved: the CS director and the second management clerk.
    path = [
        (shop.director, "accept", {"nature": "quality", "concerned_department": service}),
        (shop.director, "determine", valid_body(shop, "determine")),
        (shop.mgmt2, "review", valid_body(shop, "review")),
        (shop.gm, "decide", valid_body(shop, "decide")),
        (shop.mgmt2, "complete", valid_body(shop, "complete")),
        (shop.caller, "record_callback", valid_body(shop, "record_callback")),
    ]
    tried = set()
    for step in [*path, None]:
        complaint = Complaint.objects.get(pk=cid)
        possible = [a for a in workflow.ACTIONS.values() if complaint.status in a.sources]
        for involved in (shop.manager, shop.mgmt):
            detail = client_for(involved).get(f"/api/complaints/{cid}").json()
            assert detail["available_actions"] == []
            before = events_of(cid)
            for action in possible:
                response = act(involved, cid, action.name, valid_body(shop, action.name))
                assert response.status_code == 403, (complaint.status, action.name)
                assert response.json()["code"] == "conflict_of_interest"
                tried.add(action.name)
            edit = send(
                client_for(involved),
                "patch",
                f"/api/complaints/{cid}",
                {"version": complaint.version, "summary": "改掉"},
            )
            assert edit.status_code == 403
            assert edit.json()["code"] == "conflict_of_interest"
            assert events_of(cid) == before
            assert Complaint.objects.get(pk=cid).version == complaint.version
        if step is not None:
            user, name, body = step
            assert act(user, cid, name, body).status_code == 200, name
    assert Complaint.objects.get(pk=cid).status == "completed"
    assert {"accept", "determine", "review", "decide", "complete", "record_callback"} <= tried
    assert {"archive", "reopen", "void", "escalate", "set_severity"} <= tried


def test_involved_staff_are_refused_on_the_pending_path_too(shop):
    cid = create(client_for(shop.reception), shop, involved_staff=[shop.gm.pk])["id"]
    workflow.perform("accept", cid, actor=shop.manager, nature="parts_delay")
    workflow.perform("propose_pending", cid, actor=shop.manager, reason="parts_delay", comment="x")
    before = events_of(cid)
    for name in ["approve_pending", "reject_pending"]:
        response = act(shop.gm, cid, name, valid_body(shop, name))
        assert response.status_code == 403
        assert response.json()["code"] == "conflict_of_interest"
    assert events_of(cid) == before
    # The deputy GM, not involved, approves it instead (the secondary responsible person).
    assert act(shop.deputygm, cid, "approve_pending", {}).json()["status"]["code"] == "pending"


def test_naming_someone_involved_later_takes_the_complaint_from_them(shop):
    complaint = create(client_for(shop.reception), shop)
    cid = complaint["id"]
    edit = send(
        client_for(shop.specialist),
        "patch",
        f"/api/complaints/{cid}",
        {"version": 1, "involved_staff": [shop.manager.pk]},
    )
    assert edit.status_code == 200
    assert [u["id"] for u in edit.json()["involved_staff"]] == [shop.manager.pk]
    response = act(shop.manager, cid, "accept", valid_body(shop, "accept"))
    assert response.status_code == 403
    assert response.json()["code"] == "conflict_of_interest"


def test_service_created_complaints_are_editable_through_the_api(shop):
    """The API and the services share one path: a form made elsewhere is corrected here."""
    c = services.complaint_create(
        actor=shop.reception,
        store=shop.store,
        channel="letter",
        received_at=dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC),
        summary="来信投诉",
        description="信件内容",
    )
    response = send(
        client_for(shop.manager),
        "patch",
        f"/api/complaints/{c.pk}",
        {"version": c.version, "channel": "email", "customer_name": "李女士"},
    )
    assert response.status_code == 200
    assert response.json()["channel"]["code"] == "email"
    assert response.json()["customer_name"] == "李女士"
