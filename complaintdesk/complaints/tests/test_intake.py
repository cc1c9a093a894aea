"""Intake: numbering (gap-free, concurrent), idempotent retries, bad input, search, store scope."""

import datetime as dt
import threading
import zoneinfo

import pytest
import time_machine
from django.db import connection, connections

from complaintdesk.complaints import services
from complaintdesk.complaints.models import (
    Complaint,
    ComplaintEvent,
    Customer,
    FormCounter,
    Vehicle,
)
from complaintdesk.complaints.selectors import ComplaintFilter, complaint_list, get_complaint_for
from complaintdesk.complaints.tests.factories import new_complaint
from complaintdesk.core.errors import NotFound, NotPermitted, ValidationFailed
from complaintdesk.org.models import DealerGroup, Role, RoleGrant, User
from complaintdesk.org.services import role_grant, store_create
from complaintdesk.testing import make_store_with_staff

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def test_numbers_are_per_store_and_local_month(shop, other_shop):
    # 2026-11-30 17:30 UTC is already 1 December 01:30 in Shanghai: December's sequence.
    with time_machine.travel(dt.datetime(2026, 11, 30, 17, 30, tzinfo=dt.UTC), tick=False):
        a1 = new_complaint(shop)
        a2 = new_complaint(shop)
        b1 = new_complaint(other_shop)
    with time_machine.travel(dt.datetime(2027, 1, 1, 0, 5, tzinfo=SHANGHAI), tick=False):
        a3 = new_complaint(shop)
    assert [a1.number, a2.number, b1.number, a3.number] == [
        "FK-202612-0001", "FK-202612-0002", "FK-202612-0001", "FK-202701-0001",
    ]


def test_a_failed_creation_gives_its_number_back(shop):
    with time_machine.travel(dt.datetime(2026, 12, 3, 10, 0, tzinfo=SHANGHAI), tick=False):
        new_complaint(shop)
        with pytest.raises(ValidationFailed):
            new_complaint(shop, plate="not a plate")
        assert new_complaint(shop).number == "FK-202612-0002"


@pytest.mark.django_db(transaction=True)
def test_concurrent_creators_get_gap_free_unique_numbers():
    """24 threads, each on its own database connection, create at the same moment."""
    shop = make_store_with_staff("conc")
    creators = 24
    barrier = threading.Barrier(creators)
    numbers, errors = [], []

    def create():
        try:
            barrier.wait(timeout=30)
            c = new_complaint(shop, summary="并发创建")
            numbers.append(c.number)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=create) for _ in range(creators)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    period = numbers[0][3:9]
    assert sorted(numbers) == [f"FK-{period}-{n:04d}" for n in range(1, creators + 1)]
    assert FormCounter.objects.get(store=shop.store, period=period).last_number == creators
    assert Complaint.objects.filter(store=shop.store).count() == creators


def test_retry_with_the_same_key_returns_the_first_complaint(shop):
    first = new_complaint(shop, idempotency_key="form-7b1e")
    again = new_complaint(shop, idempotency_key="form-7b1e", summary="双击提交")
    assert again.pk == first.pk
    assert Complaint.objects.count() == 1
    # Keys are per user: another user's identical key is another submission.
    other = new_complaint(shop, actor=shop.manager, idempotency_key="form-7b1e")
    assert other.pk != first.pk


@pytest.mark.django_db(transaction=True)
def test_concurrent_retries_with_one_key_create_one_complaint():
    shop = make_store_with_staff("idem")
    barrier = threading.Barrier(6)
    ids, errors = [], []

    def create():
        try:
            barrier.wait(timeout=30)
            ids.append(new_complaint(shop, idempotency_key="dms-42").pk)
        except Exception as exc:  # noqa: BLE001
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=create) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(set(ids)) == 1
    assert Complaint.objects.filter(store=shop.store).count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"summary": ""}, "summary"),
        ({"description": "   "}, "description"),
        ({"channel": "pigeon"}, "channel"),
        ({"nature": "weather"}, "nature"),
        ({"severity": "apocalyptic"}, "severity"),
        ({"received_at": dt.datetime(2026, 12, 3, 10, 0)}, "received_at"),  # noqa: DTZ001 - naive on purpose
        ({"received_at": dt.datetime(2031, 1, 1, tzinfo=dt.UTC)}, "received_at"),
        ({"received_at": dt.datetime(1975, 1, 1, tzinfo=dt.UTC)}, "received_at"),
        ({"plate": "ABC-123"}, "plate"),
        ({"plate": "京A1234567"}, "plate"),
        ({"vin": "WBA12345678901234"[:16]}, "vin"),
        ({"vin": "WBAOB1234567890QI"}, "vin"),
        ({"customer_phone": "call me"}, "customer_phone"),
        ({"description": "长" * 100_000}, "description"),
        ({"summary": "x" * 201}, "summary"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_input_names_the_field_and_stores_nothing(shop, overrides, field):
    with pytest.raises(ValidationFailed) as err:
        new_complaint(shop, **overrides)
    assert field in err.value.errors
    assert Complaint.objects.count() == 0
    assert Customer.objects.count() == 0 and Vehicle.objects.count() == 0
    assert ComplaintEvent.objects.count() == 0
    assert not FormCounter.objects.filter(last_number__gt=0).exists()


def test_valid_plates_vins_and_phones_are_normalised(shop):
    c = new_complaint(shop, plate="粤b·d12345", vin="lbv 3a5109 kmp12345", customer_name="王先生",
                      customer_phone="+86 138-0013-8000", vehicle_model="BMW 530Li")
    assert (c.vehicle.plate_normalized, c.vehicle.vin) == ("粤BD12345", "LBV3A5109KMP12345")
    assert c.customer.phone_normalized == "13800138000"
    # The same vehicle and customer are found again however they are typed.
    again = new_complaint(shop, plate="粤B D12345", customer_phone="13800138000")
    assert (again.vehicle_id, again.customer_id) == (c.vehicle_id, c.customer_id)


def test_html_is_stored_verbatim(shop):
    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    c = new_complaint(shop, summary=payload, description=payload)
    assert Complaint.objects.get(pk=c.pk).summary == payload


def test_any_staff_member_may_register_but_not_outsiders(shop, other_shop):
    new_complaint(shop, actor=shop.finance)  # first-responder duty: any employee registers it
    nobody = User.objects.create_user("temp", password="x")
    with pytest.raises(NotFound):
        new_complaint(shop, actor=nobody)


def test_search_finds_chinese_inside_sentences_and_english_any_case(shop):
    zh = new_complaint(shop, summary="更换刹车片后仍有异响", description="客户说踩刹车时有吱吱声")
    en = new_complaint(shop, summary="Brake noise after service",
                       description="The customer says the BRAKES squeal at low speed.")
    plated = new_complaint(shop, summary="车门漆面划伤", description="洗车后发现划痕", plate="京A·88888")

    def find(**kw):
        return set(complaint_list(shop.director, ComplaintFilter(**kw)))

    assert find(q="刹车") == {zh}
    assert find(q="异响") == {zh}
    assert find(q="brake") == {en}
    assert find(q="SQUEAL") == {en}
    assert find(q="刹车 吱吱") == {zh}
    assert find(q="京a88888") == {plated}
    assert find(plate="京A 88888") == {plated}
    assert find(q=zh.number) == {zh}


def test_one_access_predicate_for_every_read(shop, other_shop):
    mine = new_complaint(shop)
    theirs = new_complaint(other_shop)
    assert set(Complaint.objects.visible_to(shop.manager)) == {mine}
    assert set(complaint_list(shop.manager)) == {mine}
    with pytest.raises(NotFound):
        get_complaint_for(shop.manager, theirs.pk)
    with pytest.raises(NotFound):
        get_complaint_for(shop.manager, "not-an-id")

    # Django's superuser and staff flags do not bypass store scope.
    root = User.objects.create_superuser("root", password="x")
    assert Complaint.objects.visible_to(root).count() == 0

    # A group-level role reaches every store of its group, on purpose, and no other group's.
    far_group = DealerGroup.objects.create(code="far", name="Far group")
    far_store = store_create(group=far_group, code="far1", name="Far store")
    far = make_store_with_staff("far1", group=far_group)
    far_complaint = new_complaint(far)
    overseer = User.objects.create_user("overseer", password="x")
    role_grant(user=overseer, role=Role.CS_DIRECTOR, group=shop.store.group)
    assert RoleGrant.objects.get(user=overseer).store is None
    assert set(Complaint.objects.visible_to(overseer)) == {mine, theirs}
    assert far_complaint not in Complaint.objects.visible_to(overseer)
    assert far_store == far.store


def test_form_number_lookup_checks_store_access(shop, other_shop):
    c = new_complaint(shop)
    assert services.complaint_for_number(shop.manager, c.number) == c
    with pytest.raises(NotFound):
        services.complaint_for_number(other_shop.manager, c.number)


def test_list_query_count_does_not_grow_with_rows(shop, django_assert_max_num_queries):
    for i in range(12):
        new_complaint(shop, summary=f"投诉 {i}", plate=f"京A1234{i % 10}", customer_name="张三")
    with django_assert_max_num_queries(3):
        rows = list(complaint_list(shop.manager))
        [(r.store.name, r.vehicle and r.vehicle.plate, r.current_step and r.current_step.assignee) for r in rows]
    assert len(rows) == 12
    assert connection.vendor in {"sqlite", "postgresql"}


def test_only_store_staff_can_be_named_as_involved(shop, other_shop):
    with pytest.raises(ValidationFailed) as err:
        new_complaint(shop, involved_staff=[other_shop.advisor.pk])
    assert "involved_staff" in err.value.errors
    with pytest.raises(NotPermitted):
        services.staff_set_absent(actor=other_shop.director, user=shop.manager, absent=True)


def test_a_correction_changes_this_form_only(shop):
    first = new_complaint(shop, customer_name="张三", customer_phone="13912345678", plate="京A12345",
                          vehicle_brand="宝马", vehicle_model="X5")
    second = new_complaint(shop, customer_name="李四", customer_phone="139 1234 5678", plate="京A12345",
                           vehicle_brand="奔驰", vehicle_model="E300")
    # Same phone and plate: the same customer and vehicle identities, but each form says its own.
    assert (second.customer_id, second.vehicle_id) == (first.customer_id, first.vehicle_id)
    assert (second.customer_name, second.vehicle_brand, second.vehicle_model) == ("李四", "奔驰", "E300")
    second = services.complaint_update(actor=shop.manager, complaint_id=second.pk,
                                       expected_version=second.version, customer_name="李四改",
                                       vehicle_model="E300L")
    assert second.events.get(action="edit").changes == {
        "customer_name": ["李四", "李四改"], "vehicle_model": ["E300", "E300L"],
    }
    first.refresh_from_db()
    assert (first.customer_name, first.vehicle_brand, first.vehicle_model) == ("张三", "宝马", "X5")
    assert first.events.filter(action="edit").count() == 0


def test_contact_phone_must_be_a_phone_number(shop):
    with pytest.raises(ValidationFailed) as err:
        new_complaint(shop, contact_phone='=HYPERLINK("http://x")')
    assert "contact_phone" in err.value.errors


def test_a_plate_correction_reaches_a_vehicle_known_by_vin(shop):
    c = new_complaint(shop, plate="京A12345", vin="LBV3A5109KMP12345")
    c = services.complaint_update(actor=shop.manager, complaint_id=c.pk, expected_version=c.version,
                                  plate="京A12346")
    assert c.plate == "京A12346"
    assert (c.vehicle.plate, c.vehicle.plate_normalized) == ("京A12346", "京A12346")
    assert c.events.get(action="edit").changes["plate"] == ["京A12345", "京A12346"]


def test_a_number_seen_in_two_stores_needs_the_store(shop, other_shop):
    a = new_complaint(shop)
    b = new_complaint(other_shop)
    assert a.number == b.number
    overseer = User.objects.create_user("overseer2", password="x")
    role_grant(user=overseer, role=Role.CS_DIRECTOR, group=shop.store.group)
    with pytest.raises(ValidationFailed) as err:
        services.complaint_for_number(overseer, a.number)
    assert "store" in err.value.errors
    assert services.complaint_for_number(overseer, a.number, store=other_shop.store) == b


def test_due_filters_find_overdue_and_due_within_the_hour(shop):
    now = dt.datetime(2026, 12, 3, 10, 0, tzinfo=SHANGHAI)
    with time_machine.travel(now, tick=False):
        overdue = new_complaint(shop, received_at=now - dt.timedelta(minutes=90))  # due 09:30
        soon = new_complaint(shop, received_at=now - dt.timedelta(minutes=20))  # due 10:40
        later = new_complaint(shop, received_at=now)  # due 11:00
        later = services.complaint_update(actor=shop.manager, complaint_id=later.pk,
                                          expected_version=later.version, summary="稍后")
        from complaintdesk.complaints import workflow

        later = workflow.perform("accept", later.pk, actor=shop.manager, nature="quality")  # due tomorrow
        assert set(complaint_list(shop.manager, ComplaintFilter(due="overdue"))) == {overdue}
        assert set(complaint_list(shop.manager, ComplaintFilter(due="1h"))) == {soon}
        assert soon != later
