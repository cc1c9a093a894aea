"""The REST API through HTTP: intake, reading, the list and its filters, bad input, the contract.

Workflow transitions, store access and conflict of interest are in test_api_workflow.py,
authentication (session, CSRF, bearer tokens, the apitoken command) in test_api_auth.py.
"""

import datetime as dt
import json

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from complaintdesk.complaints import services, workflow
from complaintdesk.complaints.choices import Status
from complaintdesk.complaints.models import Complaint, ComplaintEvent
from complaintdesk.org.services import role_grant, store_create

# 2026-12-03 17:00 in Shanghai (UTC+8): every test runs at this instant unless it says otherwise.
NOW = dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC)
CST = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    # The personas get passwords; the default hasher makes every test seconds slower.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def send(client, method, url, data=None, **extra):
    body = json.dumps(data, ensure_ascii=False) if data is not None else ""
    return getattr(client, method)(url, data=body, content_type="application/json", **extra)


def intake(shop, **changes) -> dict:
    body = {
        "store": shop.store.pk,
        "channel": "phone",
        "received_at": "2026-12-03T16:30:00+08:00",
        "summary": "刹车异响",
        "description": "客户反映刹车异响，已经维修过两次。",
        "customer_name": "张先生",
        "customer_phone": "138-0013-8000",
        "plate": "京A12345",
        "vin": "WBAJA5105MCF12345",
        "vehicle_brand": "BMW",
        "vehicle_model": "530Li",
        "nature": "quality",
    }
    body.update(changes)
    return {k: v for k, v in body.items() if v is not None}


def create(client, shop, **changes):
    response = send(client, "post", "/api/complaints", intake(shop, **changes))
    assert response.status_code == 201, response.content
    return response.json()


def error_fields(response) -> set[str]:
    return {e["field"] for e in response.json()["errors"]}


# ---------------------------------------------------------------------------------------------
# Create


def test_create_numbers_the_form_in_the_store_month_and_answers_201(shop):
    # 00:30 on 1 December in Shanghai is still 30 November in UTC: the number follows the
    # store's month (SPEC §2).
    with time_machine.travel(dt.datetime(2026, 11, 30, 16, 30, tzinfo=dt.UTC), tick=False):
        client = client_for(shop.reception)
        first = send(
            client, "post", "/api/complaints", intake(shop, received_at="2026-12-01T00:10:00+08:00")
        )
        second = send(
            client, "post", "/api/complaints", intake(shop, received_at="2026-12-01T00:20:00+08:00")
        )

    assert first.status_code == 201
    body = first.json()
    assert body["number"] == "FK-202612-0001"
    assert second.json()["number"] == "FK-202612-0002"
    assert body["status"]["code"] == "received"
    assert body["received_at"] == "2026-12-01T00:10:00+08:00"
    assert body["store"] == {
        "id": shop.store.pk,
        "code": "a",
        "name": "Store a",
        "timezone": "Asia/Shanghai",
    }
    assert body["received_by"]["id"] == shop.reception.pk
    assert body["plate"] == "京A12345"
    assert body["vin"] == "WBAJA5105MCF12345"
    assert body["nature"]["code"] == "quality"
    assert body["severity"]["code"] == "ordinary"
    assert body["tier"] == 1
    # SPEC §2: reported to the CS center within 1 h of receipt.
    assert body["current_step"]["kind"]["code"] == "register"
    assert body["current_step"]["due_at"] == "2026-12-01T01:10:00+08:00"
    stored = Complaint.objects.get(pk=body["id"])
    assert stored.received_at == dt.datetime(2026, 11, 30, 16, 10, tzinfo=dt.UTC)
    assert stored.summary == "刹车异响"


def test_create_names_involved_staff_and_severity(shop):
    body = create(
        client_for(shop.manager),
        shop,
        severity="major",
        involved_staff=[shop.advisor.pk],
        involved_staff_note="洗车工小王",
    )
    assert [u["id"] for u in body["involved_staff"]] == [shop.advisor.pk]
    assert body["involved_staff_note"] == "洗车工小王"
    assert body["severity"]["code"] == "major"
    assert body["tier"] == 2  # SPEC §3: a major complaint starts at tier 2 at least


def test_idempotent_retry_returns_the_first_complaint_with_200(shop):
    client = client_for(shop.reception)
    before = Complaint.objects.count()

    first = send(client, "post", "/api/complaints", intake(shop), HTTP_IDEMPOTENCY_KEY="dms-77")
    retry = send(client, "post", "/api/complaints", intake(shop), HTTP_IDEMPOTENCY_KEY="dms-77")
    other = send(client, "post", "/api/complaints", intake(shop), HTTP_IDEMPOTENCY_KEY="dms-78")

    assert (first.status_code, retry.status_code, other.status_code) == (201, 200, 201)
    assert retry.json()["id"] == first.json()["id"]
    assert retry.json()["number"] == first.json()["number"] == "FK-202612-0001"
    assert other.json()["number"] == "FK-202612-0002"
    assert Complaint.objects.count() == before + 2
    assert ComplaintEvent.objects.filter(kind="created").count() == 2


def test_text_with_html_is_stored_verbatim_and_returned_as_a_json_string(shop):
    summary = "<script>alert('x')</script>"
    description = '<b>刹车</b> & <img src=x onerror="alert(1)"> "quoted"'
    body = create(client_for(shop.reception), shop, summary=summary, description=description)

    stored = Complaint.objects.get(pk=body["id"])
    assert stored.summary == summary
    assert stored.description == description
    response = client_for(shop.manager).get(f"/api/complaints/{body['id']}")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json()["summary"] == summary
    assert response.json()["description"] == description


def test_times_are_in_the_store_time_zone(shop):
    client = client_for(shop.reception)
    body = create(client, shop, received_at="2026-12-03T08:30:00Z")
    assert body["received_at"] == "2026-12-03T16:30:00+08:00"
    assert body["created_at"] == "2026-12-03T17:00:00+08:00"
    events = client.get(f"/api/complaints/{body['id']}/events").json()
    assert events[0]["created_at"] == "2026-12-03T17:00:00+08:00"

    # A store in another zone shows its own offset for the same instant.
    tokyo = store_create(
        group=shop.store.group, code="tokyo", name="Tokyo", timezone_name="Asia/Tokyo"
    )
    role_grant(user=shop.reception, role="receptionist", store=tokyo)
    body = create(client, shop, store=tokyo.pk, received_at="2026-12-03T08:30:00Z")
    assert body["received_at"] == "2026-12-03T17:30:00+09:00"
    assert body["number"] == "FK-202612-0001"  # numbered per store


# ---------------------------------------------------------------------------------------------
# Bad input: 422 naming the field, nothing stored.

BAD_CREATE = [
    pytest.param({"summary": None}, "summary", id="missing-summary"),
    pytest.param({"summary": "   "}, "summary", id="blank-summary"),
    pytest.param({"channel": "fax"}, "channel", id="unknown-channel"),
    pytest.param({"received_at": "2026-02-30T10:00:00+08:00"}, "received_at", id="impossible"),
    pytest.param({"received_at": "2026-12-01T10:00:00"}, "received_at", id="naive-datetime"),
    pytest.param({"received_at": "yesterday"}, "received_at", id="not-a-date"),
    pytest.param({"received_at": 1764547200}, "received_at", id="epoch-number"),
    pytest.param({"received_at": "2026-12-04T10:00:00+08:00"}, "received_at", id="future"),
    pytest.param({"received_at": "0001-01-01T00:00:00+14:00"}, "received_at", id="overflow"),
    pytest.param({"plate": "ABC123"}, "plate", id="wrong-plate"),
    pytest.param({"vin": "WBAJA5105MCF1234O"}, "vin", id="vin-with-O"),
    pytest.param({"vin": "123"}, "vin", id="short-vin"),
    pytest.param({"description": "很" * 100_000}, "description", id="100k-description"),
    pytest.param({"summary": "x" * 201}, "summary", id="long-summary"),
    pytest.param({"summary": "a\x00b"}, "summary", id="nul-character"),
    pytest.param({"severity": "apocalyptic"}, "severity", id="unknown-severity"),
    pytest.param({"nature": "weather"}, "nature", id="unknown-nature"),
    pytest.param({"store": "abc"}, "store", id="store-not-a-number"),
    pytest.param({"store": 10**30}, "store", id="store-overflow"),
    pytest.param({"involved_staff": [10**30]}, "involved_staff.0", id="staff-overflow"),
    pytest.param({"customer_phone": "12"}, "customer_phone", id="short-phone"),
    pytest.param({"colour": "red"}, "colour", id="unknown-field"),
]


@pytest.mark.parametrize(("changes", "field"), BAD_CREATE)
def test_bad_create_input_is_422_naming_the_field_and_stores_nothing(shop, changes, field):
    client = client_for(shop.reception)
    before = (Complaint.objects.count(), ComplaintEvent.objects.count())

    response = send(client, "post", "/api/complaints", intake(shop, **changes))

    assert response.status_code == 422, response.content
    assert response.json()["code"] == "validation_failed"
    assert field in error_fields(response)
    assert all(e["message"] for e in response.json()["errors"])
    assert (Complaint.objects.count(), ComplaintEvent.objects.count()) == before


def test_involved_staff_of_another_store_is_refused(shop, other_shop):
    response = send(
        client_for(shop.reception),
        "post",
        "/api/complaints",
        intake(shop, involved_staff=[other_shop.advisor.pk]),
    )
    assert response.status_code == 422
    assert error_fields(response) == {"involved_staff"}
    assert Complaint.objects.count() == 0


def test_english_messages_follow_accept_language(shop):
    response = send(
        client_for(shop.reception),
        "post",
        "/api/complaints",
        intake(shop, summary=None),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.json()["errors"] == [{"field": "summary", "message": "This field is required."}]


@pytest.mark.parametrize(
    "raw",
    [b'{"store": 1, "summary": ', b"\xff\xfe not utf-8", b"[1, 2]", b'"just a string"'],
    ids=["truncated-json", "not-utf8", "array", "string"],
)
def test_malformed_body_is_422_not_500(shop, raw):
    response = client_for(shop.reception).post(
        "/api/complaints", data=raw, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["code"] == "validation_failed"
    assert error_fields(response) == {"body"}
    assert Complaint.objects.count() == 0


def test_complaint_in_a_store_without_access_is_not_found(shop, other_shop):
    response = send(
        client_for(shop.reception),
        "post",
        "/api/complaints",
        intake(shop, store=other_shop.store.pk),
    )
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert Complaint.objects.count() == 0


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("received_from=2026-02-30", "received_from"),
        ("received_to=tomorrow", "received_to"),
        ("status=lost", "status"),
        ("limit=0", "limit"),
        ("limit=1000", "limit"),
        ("offset=-1", "offset"),
        ("department=99999999999999999999999", "department"),
        ("open_only=perhaps", "open_only"),
    ],
)
def test_bad_list_filters_are_422_naming_the_parameter(shop, query, field):
    response = client_for(shop.manager).get(f"/api/complaints?{query}")
    assert response.status_code == 422
    assert field in {f.split(".")[0] for f in error_fields(response)}


def test_ids_out_of_range_and_unknown_urls_answer_in_the_error_shape(shop):
    client = client_for(shop.manager)
    huge = client.get("/api/complaints/99999999999999999999999")
    assert huge.status_code == 422
    assert error_fields(huge) == {"complaint_id"}
    missing = client.get("/api/complaints/123456")
    assert missing.status_code == 404
    assert missing.json()["code"] == "not_found"
    nowhere = client.get("/api/no/such/thing")
    assert nowhere.status_code == 404
    assert nowhere.json()["code"] == "not_found"


# ---------------------------------------------------------------------------------------------
# Read, list, filters, search


def test_read_shows_the_form_with_labels_and_available_actions(shop):
    created = create(client_for(shop.reception), shop)
    response = client_for(shop.manager).get(
        f"/api/complaints/{created['id']}", HTTP_ACCEPT_LANGUAGE="en"
    )
    body = response.json()
    assert response.status_code == 200
    assert body["status"] == {"code": "received", "label": "Received, to register"}
    assert body["channel"] == {"code": "phone", "label": "Phone / hotline"}
    assert body["customer_name"] == "张先生"
    assert body["customer_phone"] == "138-0013-8000"
    assert body["version"] == 1
    names = [a["name"] for a in body["available_actions"]]
    # The customer manager, in a received complaint: register it, stop its clock, judge it,
    # change severity, and the regulatory records (consumer told, referral, refund request).
    assert names == [
        "accept", "pause_clock", "judge_unfounded", "set_severity",
        "inform_customer", "record_referral", "record_refund_request",
    ]
    accept = body["available_actions"][0]
    assert accept["url"] == f"/api/complaints/{created['id']}/actions/accept"
    assert accept["method"] == "POST"
    assert {"name": "nature", "required": True} in accept["fields"]
    assert {"name": "severity", "required": False} in accept["fields"]

    # The receptionist may register complaints but take no step of the workflow.
    reception = client_for(shop.reception).get(f"/api/complaints/{created['id']}").json()
    assert reception["available_actions"] == []


def test_labels_default_to_simplified_chinese(shop):
    created = create(client_for(shop.reception), shop)
    body = client_for(shop.manager).get(f"/api/complaints/{created['id']}").json()
    with translation.override("zh-hans"):
        expected = str(Status.RECEIVED.label)
    assert body["status"] == {"code": "received", "label": expected}
    assert expected != "Received, to register"  # the catalogue has it: the label is Chinese


def test_lookup_by_form_number(shop):
    created = create(client_for(shop.reception), shop)
    response = client_for(shop.manager).get("/api/complaints/by-number/FK-202612-0001")
    assert response.status_code == 200
    assert response.json()["id"] == created["id"]
    assert client_for(shop.manager).get("/api/complaints/by-number/FK-202612-0002").status_code == (
        404
    )


def test_lookup_by_number_shared_by_two_visible_stores_needs_the_store(shop):
    second = store_create(group=shop.store.group, code="a2", name="Store a2")
    role_grant(user=shop.director, role="cs_director", store=second)
    role_grant(user=shop.reception, role="receptionist", store=second)
    client = client_for(shop.reception)
    first = create(client, shop)
    other = create(client, shop, store=second.pk)
    assert first["number"] == other["number"] == "FK-202612-0001"

    director = client_for(shop.director)
    ambiguous = director.get("/api/complaints/by-number/FK-202612-0001")
    assert ambiguous.status_code == 422
    assert error_fields(ambiguous) == {"store"}
    chosen = director.get(f"/api/complaints/by-number/FK-202612-0001?store={second.pk}")
    assert chosen.json()["id"] == other["id"]


@pytest.fixture
def three_complaints(shop, other_shop):
    """A (phone, quality, 京A12345, 1 Dec), B (on site, attitude, major, 2 Dec), C (letter,
    delay, 28 Nov), and one of the other store that mentions brakes too."""

    def make(staff, **fields):
        return services.complaint_create(actor=staff.reception, store=staff.store, **fields)

    a = make(
        shop,
        channel="phone",
        received_at=dt.datetime(2026, 12, 1, 10, 0, tzinfo=CST),
        summary="刹车异响",
        description="客户反映刹车异响",
        nature="quality",
        plate="京A12345",
    )
    b = make(
        shop,
        channel="onsite",
        received_at=dt.datetime(2026, 12, 2, 10, 0, tzinfo=CST),
        summary="Brake noise",
        description="Customer says the Brake squeals after the service",
        nature="attitude",
        severity="major",
        plate="沪B67890",
    )
    c = make(
        shop,
        channel="letter",
        received_at=dt.datetime(2026, 11, 28, 10, 0, tzinfo=CST),
        summary="交车延误",
        description="交车延误三天",
        nature="delay",
    )
    make(
        other_shop,
        channel="phone",
        received_at=dt.datetime(2026, 12, 2, 9, 0, tzinfo=CST),
        summary="刹车失灵",
        description="另一家店：刹车失灵",
        plate="京A12345",
    )
    return a, b, c


def listed(client, query=""):
    response = client.get(f"/api/complaints?{query}")
    assert response.status_code == 200, response.content
    body = response.json()
    return body["count"], [item["summary"] for item in body["items"]]


def test_list_is_newest_first_and_only_of_the_callers_stores(shop, three_complaints):
    count, summaries = listed(client_for(shop.manager))
    assert (count, summaries) == (3, ["Brake noise", "刹车异响", "交车延误"])


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("channel=phone", ["刹车异响"]),
        ("channel=phone&channel=letter", ["刹车异响", "交车延误"]),
        ("nature=attitude", ["Brake noise"]),
        ("severity=major", ["Brake noise"]),
        ("status=received", ["Brake noise", "刹车异响", "交车延误"]),
        ("status=investigating", []),
        ("received_from=2026-12-01&received_to=2026-12-01", ["刹车异响"]),
        ("received_from=2026-12-02", ["Brake noise"]),
        ("received_to=2026-11-30", ["交车延误"]),
        ("plate=京a·12345", ["刹车异响"]),
        ("q=刹车", ["刹车异响"]),  # a Chinese word inside a sentence
        ("q=BRAKE", ["Brake noise"]),  # English, case-insensitive
        ("q=squeals service", ["Brake noise"]),  # every word must match
        ("q=刹车 延误", []),
    ],
)
def test_list_filters(shop, three_complaints, query, expected):
    count, summaries = listed(client_for(shop.manager), query)
    assert summaries == expected
    assert count == len(expected)


def test_list_filters_by_store_department_and_open_only(shop, other_shop, three_complaints):
    a, b, c = three_complaints
    service = shop.department("service")
    workflow.perform(
        "accept", a.pk, actor=shop.manager, nature="quality", concerned_department=service.pk
    )
    workflow.perform("void", c.pk, actor=shop.director, reason="重复登记")
    client = client_for(shop.manager)

    assert listed(client, f"department={service.pk}") == (1, ["刹车异响"])
    assert listed(client, "open_only=true") == (2, ["Brake noise", "刹车异响"])
    assert listed(client, f"store={shop.store.pk}")[0] == 3
    # Naming a store one cannot see finds nothing rather than its complaints.
    assert listed(client, f"store={other_shop.store.pk}") == (0, [])


def test_list_pagination_with_total(shop, three_complaints):
    client = client_for(shop.manager)
    page = client.get("/api/complaints?limit=2").json()
    assert (page["count"], page["limit"], page["offset"]) == (3, 2, 0)
    assert [i["summary"] for i in page["items"]] == ["Brake noise", "刹车异响"]
    page = client.get("/api/complaints?limit=2&offset=2").json()
    assert page["count"] == 3
    assert [i["summary"] for i in page["items"]] == ["交车延误"]
    assert client.get("/api/complaints?offset=50").json() == {
        "count": 3,
        "limit": 50,
        "offset": 50,
        "items": [],
    }


def test_list_item_carries_step_store_and_times(shop, three_complaints):
    item = client_for(shop.manager).get("/api/complaints?q=刹车").json()["items"][0]
    assert item["number"].startswith("FK-202612-")
    assert item["received_at"] == "2026-12-01T10:00:00+08:00"
    assert item["plate"] == "京A12345"
    assert item["store"]["id"] == shop.store.pk
    # Registered within 1 h of receipt: 11:00 on 1 December, long past at 17:00 on the 3rd.
    assert item["current_step"]["due_at"] == "2026-12-01T11:00:00+08:00"
    assert item["current_step"]["overdue"] is True
    assert item["current_step"]["assignee"]["id"] == shop.manager.pk


def test_list_query_count_does_not_grow_with_rows(shop, django_assert_max_num_queries):
    client = client_for(shop.manager)

    def make(n):
        for i in range(n):
            services.complaint_create(
                actor=shop.reception,
                store=shop.store,
                channel="phone",
                received_at=dt.datetime(2026, 12, 1, 8, i, tzinfo=CST),
                summary=f"投诉 {i}",
                description="说明",
                plate=f"京A1234{i % 10}",
                customer_name="客户",
            )

    make(3)
    with CaptureQueriesContext(connection) as few:
        assert len(client.get("/api/complaints").json()["items"]) == 3
    make(9)
    with CaptureQueriesContext(connection) as many:
        assert len(client.get("/api/complaints").json()["items"]) == 12
    assert len(many) == len(few)
    with django_assert_max_num_queries(8):
        client.get("/api/complaints")


def test_timeline_lists_events_oldest_first(shop):
    created = create(client_for(shop.reception), shop)
    workflow.perform(
        "accept", created["id"], actor=shop.manager, nature="quality", comment="已登记"
    )
    events = client_for(shop.manager).get(
        f"/api/complaints/{created['id']}/events", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert events.status_code == 200
    rows = events.json()
    assert [(e["kind"]["code"], e["action"]) for e in rows] == [
        ("created", "create"),
        ("transition", "accept"),
        ("assigned", "accept"),
    ]
    accept = rows[1]
    assert accept["from_status"]["code"] == "received"
    assert accept["to_status"] == {"code": "investigating", "label": "Determining responsibility"}
    assert accept["actor"]["id"] == shop.manager.pk
    assert accept["comment"] == "已登记"
    assert accept["changes"] == {"customer_manager_id": [None, shop.manager.pk]}
    assert accept["step"]["code"] == "register"


# ---------------------------------------------------------------------------------------------
# Directory


def test_me_lists_stores_and_roles(shop, other_shop):
    body = client_for(shop.manager).get("/api/me", HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["username"] == "a-manager"
    assert body["name"] == "钱客户经理"
    assert body["stores"] == [
        {
            "id": shop.store.pk,
            "code": "a",
            "name": "Store a",
            "timezone": "Asia/Shanghai",
            "roles": [{"code": "customer_manager", "label": "Customer manager"}],
        }
    ]


def test_stores_list_departments_and_staff(shop, other_shop):
    client = client_for(shop.manager)
    stores = client.get("/api/stores").json()
    assert [s["id"] for s in stores] == [shop.store.pk]
    service = next(d for d in stores[0]["departments"] if d["kind"]["code"] == "service")
    assert service["id"] == shop.department("service").pk
    assert service["primary"]["id"] == shop.deptmgr.pk
    assert service["secondary"]["id"] == shop.advisor.pk

    staff = client.get(f"/api/stores/{shop.store.pk}/staff").json()
    by_name = {s["username"]: [r["code"] for r in s["roles"]] for s in staff}
    assert by_name["a-manager"] == ["customer_manager"]
    assert by_name["a-reception"] == ["receptionist"]
    assert "b-manager" not in by_name
    assert client.get(f"/api/stores/{other_shop.store.pk}/staff").status_code == 404


# ---------------------------------------------------------------------------------------------
# The contract


def test_openapi_lists_every_endpoint_and_every_action(shop):
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    paths = schema["paths"]
    for path in [
        "/api/complaints",
        "/api/complaints/{complaint_id}",
        "/api/complaints/{complaint_id}/events",
        "/api/complaints/by-number/{number}",
        "/api/me",
        "/api/stores",
        "/api/stores/{store_id}/staff",
    ]:
        assert path in paths, path
    assert set(paths["/api/complaints"]) == {"get", "post"}
    assert set(paths["/api/complaints/{complaint_id}"]) == {"get", "patch"}
    components = schema["components"]["schemas"]
    for name, act in workflow.ACTIONS.items():
        operation = paths[f"/api/complaints/{{complaint_id}}/actions/{name}"]["post"]
        assert operation["summary"] and operation["description"]
        schema_ref = operation["requestBody"]["content"]["application/json"]["schema"]
        ref = schema_ref.get("$ref") or schema_ref["allOf"][0]["$ref"]
        body = components[ref.rsplit("/", 1)[1]]
        assert set(body["properties"]) == set(act.params) | {"expected_version"}, name
        # Every field is documented: a new action parameter needs a type in schemas.py.
        for field, spec in body["properties"].items():
            assert spec.get("description"), f"{name}.{field} has no description"
        assert body["additionalProperties"] is False
    determine = components["DetermineActionIn"]
    assert set(determine["required"]) == {
        "responsible_department",
        "responsibility_finding",
        "handling_opinion",
    }
    create_body = components["ComplaintCreateIn"]
    assert {"store", "channel", "received_at", "summary", "description"} <= set(
        create_body["required"]
    )
    assert set(schema["components"]["securitySchemes"]) == {"BearerTokenAuth", "SessionCsrfAuth"}


def test_docs_page_is_served(shop):
    response = Client().get("/api/docs")
    assert response.status_code == 200
    assert b"swagger" in response.content.lower()
    assert b"/api/openapi.json" in response.content
