"""/api/triage: suggestions without storing anything, and the record of a complaint, with the store
scope (another store's is 404) and bad input as 422."""

import json

import pytest
from django.test import Client

from complaintdesk.complaints.tests.factories import new_complaint
from complaintdesk.org.services import api_token_create
from complaintdesk.triage.models import TriageRecord

pytestmark = pytest.mark.django_db


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client, url, body):
    return client.post(url, json.dumps(body, ensure_ascii=False), content_type="application/json")


def test_suggest_answers_each_field_with_reasons(shop, calibration):
    calibration(
        {"nature": {"repeat_repair": {"precision": 0.7, "predicted": 10, "support": 9, "tp": 7}}}
    )
    response = post(
        login(shop.reception),
        "/api/triage/suggest",
        {"summary": "变速箱多次维修仍然顿挫", "store": shop.store.pk},
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["language"] == "zh"
    assert data["store"]["id"] == shop.store.pk
    nature = data["nature"]
    assert nature["value"]["code"] == "repeat_repair"
    assert (nature["confidence"], nature["precision"], nature["measured_on"]) == (
        "medium",
        0.7,
        10,
    )
    assert nature["reasons"][0]["found"] == "多次维修"
    assert data["department"]["value"]["code"] == "service"
    # 维修 names the workshop, and the nature leans to it too.
    assert [(r["found"], r["from_nature"]) for r in data["department"]["reasons"]] == [
        ("维修", ""),
        ("", "repeat_repair"),
    ]
    assert not TriageRecord.objects.exists()  # nothing stored


def test_suggest_without_a_store_uses_the_callers_only_group(shop):
    response = post(
        login(shop.reception), "/api/triage/suggest", {"description": "The dealer was rude"}
    )
    assert response.status_code == 200
    assert response.json()["store"]["id"] == shop.store.pk
    assert response.json()["nature"]["value"]["code"] == "attitude"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "summary"),
        ({"summary": "   ", "description": ""}, "summary"),
        ({"summary": "异" * 201}, "summary"),
        ({"summary": "异响", "colour": "red"}, "colour"),
        ({"summary": 5}, "summary"),
        ({"summary": "异响", "store": "x"}, "store"),
    ],
)
def test_suggest_refuses_bad_input(shop, body, field):
    response = post(login(shop.reception), "/api/triage/suggest", body)
    assert response.status_code == 422, response.content
    assert field in {e["field"] for e in response.json()["errors"]}


def test_suggest_for_another_store_is_not_found(shop, other_shop):
    response = post(
        login(shop.reception),
        "/api/triage/suggest",
        {"summary": "异响", "store": other_shop.store.pk},
    )
    assert response.status_code == 404


def test_suggest_needs_authentication_and_takes_a_bearer_token(shop):
    assert post(Client(), "/api/triage/suggest", {"summary": "异响"}).status_code == 401
    _token, raw = api_token_create(user=shop.reception, name="dms")
    response = Client().post(
        "/api/triage/suggest",
        json.dumps({"summary": "异响"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 200
    assert response.json()["nature"]["value"]["code"] == "quality"


def test_complaint_record_is_read_through_the_store_scope(shop, other_shop):
    c = new_complaint(shop, summary="发动机异响", description="漏油", nature="quality")
    url = f"/api/triage/complaints/{c.pk}"
    response = login(shop.manager).get(url)
    assert response.status_code == 200
    data = response.json()
    assert data["complaint_id"] == c.pk
    assert data["suggestion"]["nature"]["value"]["code"] == "quality"
    assert data["chosen"]["nature"] == {
        "value": {"code": "quality", "label": data["chosen"]["nature"]["value"]["label"]},
        "accepted": True,
    }
    assert login(other_shop.manager).get(url).status_code == 404
    assert login(shop.manager).get("/api/triage/complaints/999999").status_code == 404


def test_the_person_complained_about_may_read_but_not_more(shop):
    """Reading the record is reading the complaint (allowed, as the complaint page shows it); the
    triage API has no action on a complaint that a person involved could take."""
    c = new_complaint(shop, summary="发动机异响", involved_staff=[shop.advisor.pk])
    assert login(shop.advisor).get(f"/api/triage/complaints/{c.pk}").status_code == 200


def test_a_complaint_without_a_record_is_404_with_a_reason(shop):
    c = new_complaint(shop)
    TriageRecord.objects.filter(complaint=c).delete()
    response = login(shop.manager).get(f"/api/triage/complaints/{c.pk}")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
