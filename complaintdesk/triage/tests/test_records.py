"""A TriageRecord is written with every new complaint — intake form, API, import — holding the
suggestion, what the filer chose and whether they accepted it."""

import datetime as dt
import json

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from complaintdesk.complaints import services as complaint_services
from complaintdesk.complaints.importing import import_file
from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.tests.factories import new_complaint
from complaintdesk.triage import services
from complaintdesk.triage.models import TriageRecord

NOW = dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC)  # 17:00 in Shanghai


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form_post(shop, **changes) -> dict:
    data = {
        "idempotency_key": "b" * 32,
        "store": shop.store.pk,
        "channel": "onsite",
        "received_at": "2026-12-03T16:30",
        "summary": "发动机异响",
        "description": "客户反映发动机冷车启动时有异响，底盘还有漏油。",
        "nature": "quality",
        "severity": "ordinary",
        "concerned_department": shop.department("service").pk,
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.mark.django_db
def test_intake_form_records_suggestion_and_choices_all_accepted(shop):
    response = login(shop.reception).post(reverse("complaint-new"), form_post(shop))
    assert response.status_code == 302
    c = Complaint.objects.get()
    assert c.concerned_department == shop.department("service")
    r = TriageRecord.objects.get(complaint=c)
    assert (r.entry, r.actor, r.store) == ("ui", shop.reception, shop.store)
    assert (r.suggested_nature, r.suggested_severity, r.suggested_department) == (
        "quality",
        "ordinary",
        "service",
    )
    assert (r.chosen_nature, r.chosen_severity, r.chosen_department) == (
        "quality",
        "ordinary",
        "service",
    )
    assert (r.nature_accepted, r.severity_accepted, r.department_accepted) == (True, True, True)
    # No calibration in this test: nothing has been measured, so every field is a guess.
    assert r.nature_confidence == "low"
    assert r.created_at == NOW
    found = [x["found"] for x in r.reasons["nature"]["reasons"]]
    assert "异响" in found and "漏油" in found


@pytest.mark.django_db
def test_intake_form_records_a_changed_nature_and_an_open_department(shop):
    login(shop.reception).post(
        reverse("complaint-new"),
        form_post(shop, nature="attitude", severity="major", concerned_department=""),
    )
    r = TriageRecord.objects.get()
    assert (r.chosen_nature, r.chosen_severity, r.chosen_department) == ("attitude", "major", "")
    assert (r.nature_accepted, r.severity_accepted, r.department_accepted) == (False, False, None)


@pytest.mark.django_db
def test_intake_form_refuses_another_stores_department(shop, other_shop):
    response = login(shop.reception).post(
        reverse("complaint-new"),
        form_post(shop, concerned_department=other_shop.department("service").pk),
    )
    assert response.status_code == 200
    assert "concerned_department" in response.context["form"].errors
    assert not Complaint.objects.exists() and not TriageRecord.objects.exists()


@pytest.mark.django_db
def test_nature_left_open_decides_nothing(shop):
    c = new_complaint(shop, summary="发动机异响", description="发动机异响")
    r = c.triage
    assert (r.suggested_nature, r.chosen_nature, r.nature_accepted) == ("quality", "", None)
    assert r.entry == "other"  # not entered through the form, the API or a file


def api_body(shop, **changes):
    body = {
        "store": shop.store.pk,
        "channel": "phone",
        "received_at": "2026-12-03T16:30:00+08:00",
        "summary": "The dealer was rude",
        "description": "The service advisor was rude and ignored my calls.",
    }
    body.update(changes)
    return json.dumps(body)


@pytest.mark.django_db
def test_api_create_answers_with_the_recorded_suggestion(shop):
    client = login(shop.reception)
    response = client.post("/api/complaints", api_body(shop), content_type="application/json")
    assert response.status_code == 201, response.content
    triage = response.json()["triage"]
    assert triage["entry"]["code"] == "api"
    assert triage["suggestion"]["nature"]["value"]["code"] == "attitude"
    assert triage["suggestion"]["nature"]["reasons"][0]["found"] in ("rude", "ignored")
    # Neither the nature nor the severity was sent: the client decided nothing.
    assert triage["chosen"]["nature"] == {"value": None, "accepted": None}
    assert triage["chosen"]["severity"] == {
        "value": {"code": "ordinary", "label": triage["chosen"]["severity"]["value"]["label"]},
        "accepted": None,
    }
    r = TriageRecord.objects.get()
    assert (r.nature_accepted, r.severity_accepted, r.department_accepted) == (None, None, None)


@pytest.mark.django_db
def test_api_create_with_judgement_records_acceptance(shop):
    client = login(shop.reception)
    body = api_body(
        shop,
        nature="quality",
        severity="ordinary",
        concerned_department=shop.department("service").pk,
    )
    response = client.post(
        "/api/complaints", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k1"
    )
    assert response.status_code == 201
    r = TriageRecord.objects.get()
    assert (r.nature_accepted, r.severity_accepted, r.department_accepted) == (False, True, True)
    # A retry returns the first complaint and writes no second record.
    again = client.post(
        "/api/complaints", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k1"
    )
    assert again.status_code == 200
    assert again.json()["triage"]["chosen"]["nature"]["accepted"] is False
    assert TriageRecord.objects.count() == 1


@pytest.mark.django_db
def test_api_refuses_another_stores_department(shop, other_shop):
    body = api_body(shop, concerned_department=other_shop.department("service").pk)
    response = login(shop.reception).post("/api/complaints", body, content_type="application/json")
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["concerned_department"]
    assert not TriageRecord.objects.exists()


@pytest.mark.django_db
def test_import_records_suggestions_without_applying_them(shop, tmp_path):
    path = tmp_path / "complaints.csv"
    path.write_text(
        "received_at,channel,summary,nature,source_id\n"
        "2026-12-01 10:00,电话,发动机异响漏油,质量问题,A1\n"
        "2026-12-01 11:00,电话,4S店态度恶劣不理人,服务态度,A2\n"
        "2026-12-01 12:00,电话,变速箱顿挫多次维修,,A3\n",
        encoding="utf-8",
    )
    report = import_file(path, store=shop.store, actor=shop.manager)
    assert (report.created, report.errors) == (3, [])
    rows = {r.complaint.source_ref: r for r in TriageRecord.objects.select_related("complaint")}
    assert {r.entry for r in rows.values()} == {"import"}
    assert (rows["A1"].suggested_nature, rows["A1"].nature_accepted) == ("quality", True)
    assert (rows["A2"].suggested_nature, rows["A2"].nature_accepted) == ("attitude", True)
    # No nature in the file: suggested, recorded, and NOT applied to the complaint.
    assert (rows["A3"].suggested_nature, rows["A3"].nature_accepted) == ("repeat_repair", None)
    assert rows["A3"].complaint.nature == ""
    # The file has no severity column: the default decides nothing either.
    assert {r.severity_accepted for r in rows.values()} == {None}


@pytest.mark.django_db
def test_a_failed_import_leaves_no_record(shop, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        "received_at,channel,summary\n2026-12-01 10:00,电话,发动机异响\nnot a date,电话,漏油\n",
        encoding="utf-8",
    )
    report = import_file(path, store=shop.store, actor=shop.manager)
    assert report.errors and report.created == 0
    assert not TriageRecord.objects.exists()


@pytest.mark.django_db
def test_a_broken_suggestion_never_stops_intake(shop, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("rules unreadable")

    monkeypatch.setattr(services, "suggest", broken)
    c = complaint_services.complaint_create(
        actor=shop.reception,
        store=shop.store,
        channel="onsite",
        received_at=NOW,
        summary="发动机异响",
        description="发动机异响",
    )
    assert Complaint.objects.filter(pk=c.pk).exists()
    assert c.number == "FK-202612-0001"
    assert not TriageRecord.objects.exists()
