"""Repeat complaints on the complaint page and in the API: earlier complaints of the same customer
or vehicle, similar open ones, always inside the viewer's stores."""

import datetime as dt
import math

import pytest
from django.test import Client
from django.utils import timezone

from complaintdesk.complaints import repeats, workflow
from complaintdesk.complaints.tests.factories import new_complaint
from complaintdesk.org.models import Role, User
from complaintdesk.org.services import role_grant


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def at(days_ago: int):
    return timezone.now() - dt.timedelta(days=days_ago, minutes=5)


# ---------------------------------------------------------------------------------------------
# Tokens and similarity, worked out by hand.


def test_tokens_are_chinese_bigrams_and_english_words():
    # "宝马" is one bigram; "车机黑屏" gives 车机, 机黑, 黑屏; "X3" is a word of two characters.
    assert repeats.tokens("宝马X3车机黑屏") == {"宝马": 1, "x3": 1, "车机": 1, "机黑": 1, "黑屏": 1}
    # Stop words and single letters are dropped, case is folded, counts add up.
    assert repeats.tokens("The BRAKES failed and the brakes squeal") == {
        "brakes": 2,
        "failed": 1,
        "squeal": 1,
    }


def test_cosine_of_two_token_bags():
    short = repeats.tokens("宝马X3车机黑屏")  # 5 tokens
    long = repeats.tokens("宝马X3车机黑屏无法导航")  # the same 5 + 屏无, 无法, 法导, 导航 = 9
    assert repeats.cosine(short, long) == pytest.approx(5 / (math.sqrt(5) * math.sqrt(9)))
    assert repeats.cosine(short, repeats.tokens("空调不制冷")) == 0.0
    assert repeats.cosine({}, short) == 0.0


# ---------------------------------------------------------------------------------------------
# Earlier complaints of the same customer or vehicle.


def test_earlier_complaints_match_on_vehicle_plate_and_phone(shop):
    first = new_complaint(
        shop,
        received_at=at(40),
        plate="京A·12345",
        customer_name="张先生",
        customer_phone="13800138000",
    )
    # The same plate written differently is the same vehicle row.
    second = new_complaint(shop, received_at=at(10), plate="京a12345", summary="空调不制冷")
    # Another car, but the same phone number.
    third = new_complaint(
        shop,
        received_at=at(5),
        plate="沪B54321",
        customer_name="张先生",
        customer_phone="+86 138-0013-8000",
    )
    unrelated = new_complaint(
        shop, received_at=at(3), plate="粤C11111", customer_phone="13900000000"
    )

    rows, total = repeats.earlier_complaints(shop.manager, first)
    assert total == 2
    assert [r.complaint.pk for r in rows] == [third.pk, second.pk]  # newest first
    assert rows[1].reasons == ["vehicle"]
    assert rows[0].reasons == ["customer"]

    rows, total = repeats.earlier_complaints(shop.manager, unrelated)
    assert (rows, total) == ([], 0)


def test_earlier_complaints_stay_inside_the_viewers_stores(shop, other_shop):
    mine = new_complaint(shop, plate="京A12345", vin="WBAJA5105MCF12345")
    theirs = new_complaint(other_shop, plate="京A12345", vin="WBAJA5105MCF12345")
    # A store user of store A does not learn that store B has a complaint about the car.
    assert repeats.earlier_complaints(shop.manager, mine) == ([], 0)
    # A group CS director sees both stores; the match is on the VIN (the vehicle rows are per
    # store, so it is not the same vehicle row).
    group_director = User.objects.create(username="group-director")
    role_grant(user=group_director, role=Role.CS_DIRECTOR, group=shop.store.group)
    rows, total = repeats.earlier_complaints(group_director, mine)
    assert total == 1
    assert rows[0].complaint.pk == theirs.pk
    assert rows[0].reasons == ["vin"]


# ---------------------------------------------------------------------------------------------
# Similar open complaints.


def test_similar_open_complaints_of_the_same_store(shop, other_shop):
    target = new_complaint(shop, summary="宝马X3车机黑屏", description="宝马X3车机黑屏无法导航")
    alike = new_complaint(shop, summary="宝马X3车机黑屏", description="宝马X3车机黑屏")
    different = new_complaint(shop, summary="空调不制冷", description="空调不制冷，出风是热的")
    closed = new_complaint(shop, summary="宝马X3车机黑屏", description="宝马X3车机黑屏")
    workflow.perform("void", closed.pk, actor=shop.director, reason="重复登记")
    new_complaint(other_shop, summary="宝马X3车机黑屏", description="宝马X3车机黑屏")

    found = repeats.similar_open(shop.manager, target)
    assert [s.complaint.pk for s in found] == [alike.pk]
    # Compared texts: the target (9 tokens), `alike` (its 5 shared ones) and `different` (8 others).
    # idf = ln((1 + 3) / (1 + df)) + 1: a = 1.2877 for the 5 shared tokens (df 2), b = 1.6931 for
    # the target's 4 own ones (df 1). Cosine = 5a² / (√(5a² + 4b²) · √(5a²)) ≈ 0.648.
    a, b = math.log(4 / 3) + 1, math.log(4 / 2) + 1
    expected = 5 * a * a / (math.sqrt(5 * a * a + 4 * b * b) * math.sqrt(5 * a * a))
    assert found[0].score == pytest.approx(expected)
    assert round(expected, 3) == 0.648
    assert set(found[0].shared) == {"宝马", "x3", "车机", "机黑", "黑屏"}
    assert different.pk not in [s.complaint.pk for s in found]


# ---------------------------------------------------------------------------------------------
# The page and the API.


def test_complaint_page_lists_earlier_complaints_escaped(shop):
    earlier = new_complaint(shop, received_at=at(30), plate="京A12345", summary="<b>第一次</b>投诉")
    current = new_complaint(shop, plate="京A12345")
    response = client_for(shop.manager).get(f"/complaints/{current.pk}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="repeats-panel"' in page
    assert earlier.number in page
    assert "同一车辆" in page  # why it is listed: the same vehicle
    assert "&lt;b&gt;第一次&lt;/b&gt;投诉" in page
    assert "<b>第一次</b>" not in page


def test_page_without_repeats_has_no_panel(shop):
    current = new_complaint(
        shop, plate="京A99999", summary="独一无二的投诉", description="独一无二"
    )
    page = client_for(shop.manager).get(f"/complaints/{current.pk}/").content.decode()
    assert 'id="repeats-panel"' not in page


def test_api_related_lists_earlier_and_similar(shop, other_shop):
    earlier = new_complaint(shop, received_at=at(30), plate="京A12345", summary="刹车异响")
    alike = new_complaint(shop, summary="宝马X3车机黑屏", description="宝马X3车机黑屏")
    current = new_complaint(
        shop, plate="京A12345", summary="宝马X3车机黑屏", description="宝马X3车机黑屏无法导航"
    )
    response = client_for(shop.manager).get(f"/api/complaints/{current.pk}/related")
    assert response.status_code == 200
    body = response.json()
    assert body["earlier_total"] == 1
    assert body["earlier"][0]["complaint"]["number"] == earlier.number
    assert body["earlier"][0]["reasons"] == ["vehicle"]
    assert [s["complaint"]["id"] for s in body["similar_open"]] == [alike.pk]
    # Compared: the current form and `alike` (the earlier form is already listed above): idf 1 for
    # the 5 shared tokens, ln(3/2) + 1 for the 4 others → √5 / √(5 + 4·1.4055²) = 0.623.
    assert body["similar_open"][0]["score"] == 0.623

    # Another store's complaint id is simply not found.
    assert (
        client_for(other_shop.manager).get(f"/api/complaints/{current.pk}/related").status_code
        == 404
    )
    assert client_for(other_shop.manager).get(f"/complaints/{current.pk}/").status_code == 404
