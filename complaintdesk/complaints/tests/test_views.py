"""The staff UI through HTTP: login, language, my work, the list and its filters, store scope,
conflict of interest and escaping. Expected values are worked out by hand from the data."""

import datetime as dt
import re
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from complaintdesk.complaints import workflow
from complaintdesk.complaints.choices import Channel, Nature, Severity, Status
from complaintdesk.complaints.models import Complaint, ComplaintEvent
from complaintdesk.complaints.tests.factories import new_complaint, walk

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
# Thursday 2026-12-03 10:00 in Shanghai = 02:00 UTC.
NOW = dt.datetime(2026, 12, 3, 10, 0, tzinfo=SHANGHAI)
PASSWORD = "test-pass-123"


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def as_user(client, user):
    client.force_login(user)
    return client


def numbers(response) -> list[str]:
    return [c.number for c in response.context["page"].object_list]


def row_of(html: str, number: str) -> str:
    """The <tr> of the table that shows this form number."""
    for row in html.split("<tr")[1:]:
        if f">{number}</a>" in row:
            return row.split("</tr>")[0]
    raise AssertionError(f"{number} is not in the table")


# --- static files ------------------------------------------------------------------------------


def test_vendored_static_files_are_served_from_the_package(client):
    from django.contrib.staticfiles import finders

    for name in (
        "vendor/bootstrap.min.css",
        "vendor/bootstrap.bundle.min.js",
        "vendor/htmx.min.js",
    ):
        # Needs settings.STATICFILES_DIRS = [BASE_DIR / "static"].
        assert finders.find(name), name
    html = client.get(reverse("login")).content.decode()
    assert 'href="/static/vendor/bootstrap.min.css"' in html
    assert 'src="/static/vendor/htmx.min.js"' in html
    head = html.split("<body")[0]
    assert "http" not in head  # no CDN: the machines are offline


# --- login and language ------------------------------------------------------------------------


def test_every_page_requires_login(client, shop):
    c = new_complaint(shop)
    gets = [
        reverse("my-work"),
        reverse("complaint-list"),
        reverse("complaint-new"),
        reverse("complaint-detail", args=[c.pk]),
        reverse("complaint-edit", args=[c.pk]),
        reverse("complaint-by-number", args=[c.number]),
        reverse("complaint-export"),
        reverse("search") + "?q=x",
    ]
    for url in gets:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/login/?next="), url
    posts = [
        reverse("complaint-act", args=[c.pk, "accept"]),
        reverse("set-absent"),
        reverse("complaint-new"),
    ]
    for url in posts:
        response = client.post(url, {"accept-nature": "quality"})
        assert response.status_code == 302 and response["Location"].startswith("/login/"), url
    assert Complaint.objects.get(pk=c.pk).status == Status.RECEIVED
    assert Complaint.objects.count() == 1


def test_login_page_logs_in_and_out(client, shop):
    page = client.get(reverse("login"))
    assert page.status_code == 200
    assert "登录" in page.content.decode()
    bad = client.post(reverse("login"), {"username": "a-manager", "password": "wrong"})
    assert "用户名或密码错误" in bad.content.decode()
    ok = client.post(reverse("login"), {"username": "a-manager", "password": PASSWORD})
    assert ok.status_code == 302 and ok["Location"] == "/"
    assert client.get("/").status_code == 200
    out = client.post(reverse("logout"))
    assert out.status_code == 302 and out["Location"] == reverse("login")
    assert client.get("/").status_code == 302


def test_ui_is_chinese_first_and_switches_to_english(client, shop):
    as_user(client, shop.manager)
    html = client.get("/").content.decode()
    assert '<html lang="zh-hans">' in html
    assert "我的待办" in html and "投诉列表" in html and "新建投诉" in html

    response = client.post("/i18n/setlang/", {"language": "en", "next": "/complaints/"})
    assert response.status_code == 302 and response["Location"] == "/complaints/"
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "My work" in html and "New complaint" in html
    assert "我的待办" not in html

    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert "我的待办" in client.get("/").content.decode()


def test_choice_labels_are_translated(client, shop):
    c = new_complaint(shop, nature=Nature.QUALITY, severity=Severity.MAJOR)
    html = as_user(client, shop.manager).get(reverse("complaint-detail", args=[c.pk]))
    html = html.content.decode()
    # Status, nature and severity labels from choices.py in Chinese.
    assert "质量问题" in html and "重大" in html
    assert "受理登记" in html  # the register step / action


# --- my work ---------------------------------------------------------------------------------


def test_new_complaint_reaches_the_customer_manager_not_the_gm(client, shop, frozen):
    c = new_complaint(shop, summary="前台登记：保养后刹车异响")
    manager = as_user(client, shop.manager).get("/")
    assert c.number in manager.content.decode()
    assert [x.pk for x in manager.context["complaints"]] == [c.pk]

    gm_client = client.__class__()
    gm = as_user(gm_client, shop.gm).get("/")
    assert c.number not in gm.content.decode()
    reception_client = client.__class__()
    assert c.number not in as_user(reception_client, shop.reception).get("/").content.decode()

    walk(shop, c, to="review")  # now waiting for the GM's decision
    assert c.number in gm_client.get("/").content.decode()
    assert c.number not in client.get("/").content.decode()  # the manager has nothing to do


def test_a_completed_form_waits_on_the_cs_center_checker_not_the_manager(client, shop, frozen):
    # SPEC §7: the CS center checks and archives; the customer manager has nothing left to do
    # (reopening on a later complaint of the customer is possible, but not work waiting).
    c = walk(shop, new_complaint(shop), to="record_callback")
    assert c.status == Status.COMPLETED
    for user, expected in [
        (shop.specialist, True),
        (shop.director, True),
        (shop.manager, False),
        (shop.caller, False),
    ]:
        listed = c.number in as_user(client, user).get("/").content.decode()
        assert listed is expected, user.username


def test_my_work_is_ordered_by_due_time_with_counts(client, shop, frozen):
    # The register step is due 1 h after receipt (SPEC §2).
    late = new_complaint(shop, summary="两小时前登记", received_at=NOW - dt.timedelta(hours=2))
    soon = new_complaint(shop, summary="五十分钟前登记", received_at=NOW - dt.timedelta(minutes=50))
    fresh = new_complaint(shop, summary="刚刚登记", received_at=NOW - dt.timedelta(minutes=5))
    response = as_user(client, shop.manager).get("/")
    assert [c.pk for c in response.context["complaints"]] == [late.pk, soon.pk, fresh.pk]
    assert response.context["counts"] == {"total": 3, "overdue": 1, "soon": 2}
    html = response.content.decode()
    # Due times in the store's local time (Asia/Shanghai) and relative to now.
    late_row = row_of(html, late.number)
    assert "2026-12-03 09:00" in late_row and "已超时 1 小时" in late_row
    assert "table-danger" in late_row
    soon_row = row_of(html, soon.number)
    assert "2026-12-03 10:10" in soon_row and "剩余 10 分钟" in soon_row
    assert "table-danger" not in soon_row and "table-warning" in soon_row
    fresh_row = row_of(html, fresh.number)
    assert "剩余 55 分钟" in fresh_row
    assert "钱客户经理" in fresh_row  # the step's assignee


def test_my_work_relative_times_in_english(client, shop, frozen):
    new_complaint(shop, received_at=NOW - dt.timedelta(hours=4, minutes=20))
    as_user(client, shop.manager)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/").content.decode()
    assert "overdue by 3 h 20 min" in html


# --- the list ----------------------------------------------------------------------------------


@pytest.fixture
def listing(shop, frozen):
    """Three hand-made complaints in store A and one in store B."""
    a = new_complaint(
        shop,
        channel=Channel.PHONE,
        summary="刹车异响严重",
        description="客户来电：保养后刹车异响严重，要求检查。",
        plate="京A12345",
        customer_name="张先生",
        customer_phone="13800138000",
        nature=Nature.QUALITY,
        received_at=dt.datetime(2026, 11, 10, 9, 0, tzinfo=SHANGHAI),
    )
    b = new_complaint(
        shop,
        channel=Channel.ONSITE,
        summary="Engine NOISE after service",
        description="The customer says the engine is noisy.",
        plate="沪B54321",
        nature=Nature.ATTITUDE,
        severity=Severity.MAJOR,
        received_at=dt.datetime(2026, 11, 20, 15, 0, tzinfo=SHANGHAI),
    )
    c = new_complaint(
        shop,
        channel=Channel.LETTER,
        summary="保养费用过高",
        description="来信反映工时费过高。",
        received_at=dt.datetime(2026, 12, 1, 23, 30, tzinfo=SHANGHAI),
    )
    c = walk(shop, c, to="determine")  # responsible department: after-sales service
    return a, b, c


def test_list_filters_each_narrow(client, shop, other_shop, listing):
    a, b, c = listing
    new_complaint(other_shop, summary="刹车异响 B店", plate="京A12345")
    as_user(client, shop.manager)
    service = shop.department("service").pk

    def get(query):
        response = client.get(reverse("complaint-list"), query)
        assert response.status_code == 200, query
        assert not response.context["form"].errors, response.context["form"].errors
        return sorted(numbers(response))

    everything = sorted([a.number, b.number, c.number])
    assert get({}) == everything
    assert get({"status": Status.RECEIVED}) == sorted([a.number, b.number])
    assert get({"status": [Status.RECEIVED, Status.MANAGEMENT_REVIEW]}) == everything
    assert get({"status": Status.MANAGEMENT_REVIEW}) == [c.number]
    assert get({"nature": Nature.ATTITUDE}) == [b.number]
    assert get({"nature": [Nature.ATTITUDE, Nature.QUALITY]}) == everything  # c: walk → quality
    assert get({"channel": Channel.PHONE}) == [a.number]
    assert get({"channel": [Channel.PHONE, Channel.LETTER]}) == sorted([a.number, c.number])
    assert get({"severity": Severity.MAJOR}) == [b.number]
    assert get({"department": service}) == [c.number]
    assert get({"received_from": "2026-11-15"}) == sorted([b.number, c.number])
    assert get({"received_to": "2026-11-20"}) == sorted([a.number, b.number])
    # 2026-12-01 23:30 Shanghai is still 1 December in the store, though 15:30 UTC.
    assert get({"received_from": "2026-12-01", "received_to": "2026-12-01"}) == [c.number]
    assert get({"plate": "京a·12345"}) == [a.number]
    assert get({"q": "engine noise"}) == [b.number]
    assert get({"q": "ENGINE"}) == [b.number]
    assert get({"q": "13800138000"}) == [a.number]
    assert get({"open_only": "on"}) == everything
    assert get({"q": "刹车", "channel": Channel.ONSITE}) == []


def test_chinese_search_finds_words_inside_sentences(client, shop, listing):
    a, b, c = listing
    as_user(client, shop.manager)
    for term, expected in [("异响", [a.number]), ("工时费", [c.number]), ("费用过", [c.number])]:
        response = client.get(reverse("complaint-list"), {"q": term})
        assert numbers(response) == expected, term


def test_bad_filter_values_are_form_errors_not_500(client, shop, listing):
    as_user(client, shop.manager)
    for query, field in [
        ({"received_from": "2026-02-30"}, "received_from"),
        ({"status": "lost"}, "status"),
        ({"department": "abc"}, "department"),
        ({"received_from": "2026-12-02", "received_to": "2026-12-01"}, "received_to"),
    ]:
        response = client.get(reverse("complaint-list"), query)
        assert response.status_code == 200, query
        assert field in response.context["form"].errors, query
        html = response.content.decode()
        assert 'id="filter-errors"' in html
        assert response.context["page"] is None  # no unfiltered list passed off as the result
    html = client.get(reverse("complaint-list"), {"received_from": "2026-02-30"}).content.decode()
    assert "输入一个有效的日期" in html


def test_department_of_another_store_is_not_a_filter_choice(client, shop, other_shop, listing):
    as_user(client, shop.manager)
    response = client.get(
        reverse("complaint-list"), {"department": other_shop.department("service").pk}
    )
    assert "department" in response.context["form"].errors


def test_list_pagination_keeps_the_filters(client, shop, frozen):
    for i in range(51):
        new_complaint(shop, summary=f"批量登记 {i}", received_at=NOW - dt.timedelta(minutes=i))
    new_complaint(shop, summary="其他")
    as_user(client, shop.manager)
    first = client.get(reverse("complaint-list"), {"q": "批量", "channel": "onsite"})
    assert first.context["page"].paginator.count == 51
    assert len(numbers(first)) == 50
    html = first.content.decode()
    next_links = re.findall(r'href="(\?[^"]*page=2[^"]*)"', html)
    assert next_links, "no link to page 2"
    link = next_links[0].replace("&amp;", "&")
    assert "q=%E6%89%B9%E9%87%8F" in link and "channel=onsite" in link
    second = client.get(reverse("complaint-list") + link)
    assert len(numbers(second)) == 1
    assert set(numbers(first)).isdisjoint(numbers(second))
    # An out-of-range page shows the last page rather than failing.
    assert numbers(client.get(reverse("complaint-list"), {"page": "99"})) != []
    assert client.get(reverse("complaint-list"), {"page": "x"}).status_code == 200


def test_list_queries_do_not_grow_with_rows(client, shop, frozen, django_assert_max_num_queries):
    for i in range(3):
        new_complaint(shop, summary=f"第{i}条", plate="京A12345")
    as_user(client, shop.manager)
    client.get(reverse("complaint-list"))  # warm the session and grant caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("complaint-list"))
    with CaptureQueriesContext(connection) as few_work:
        client.get("/")
    for i in range(12):
        new_complaint(shop, summary=f"再{i}条", plate="京A12345")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("complaint-list"))
    assert len(numbers(response)) == 15
    with django_assert_max_num_queries(len(few_work.captured_queries)):
        response = client.get("/")
    assert len(response.context["complaints"]) == 15


def test_htmx_request_gets_only_the_results(client, shop, listing):
    as_user(client, shop.manager)
    response = client.get(reverse("complaint-list"), {"q": "异响"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html and 'id="filters"' not in html
    assert listing[0].number in html
    restore = client.get(
        reverse("complaint-list"),
        {"q": "异响"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_HISTORY_RESTORE_REQUEST="true",
    )
    assert "<html" in restore.content.decode()


def test_export_downloads_the_filtered_list_as_xlsx(client, shop, other_shop, listing):
    import io

    import openpyxl

    a, b, c = listing
    hidden = new_complaint(other_shop, summary="刹车异响 B店")
    as_user(client, shop.manager)
    response = client.get(reverse("complaint-export"), {"q": "异响"})
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "attachment" in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    cells = {
        str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row
    }
    assert a.number in cells and a.summary in cells
    assert b.number not in cells
    assert hidden.summary not in cells  # same number FK-202612-0001 in store B, never exported
    bad = client.get(reverse("complaint-export"), {"received_from": "2026-02-30"})
    assert bad.status_code == 302 and bad["Location"].startswith(reverse("complaint-list"))


# --- store scope -------------------------------------------------------------------------------


def test_other_store_complaint_is_404_everywhere(client, shop, other_shop, frozen):
    new_complaint(other_shop, summary="B店的第一条")
    theirs = new_complaint(other_shop, summary="B店的投诉 刹车")
    mine = new_complaint(shop, summary="A店的投诉 刹车")
    assert (mine.number, theirs.number) == ("FK-202612-0001", "FK-202612-0002")
    as_user(client, shop.director)
    before = ComplaintEvent.objects.count()
    assert client.get(reverse("complaint-detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("complaint-edit", args=[theirs.pk])).status_code == 404
    edit = client.post(
        reverse("complaint-edit", args=[theirs.pk]), {"expected_version": 1, "summary": "x"}
    )
    assert edit.status_code == 404
    act = client.post(
        reverse("complaint-act", args=[theirs.pk, "accept"]),
        {"accept-expected_version": theirs.version, "accept-nature": "quality"},
    )
    assert act.status_code == 404
    assert client.get(reverse("complaint-by-number", args=[theirs.number])).status_code == 404
    assert ComplaintEvent.objects.count() == before
    assert Complaint.objects.get(pk=theirs.pk).status == Status.RECEIVED

    assert theirs.number not in client.get("/").content.decode()
    listed = client.get(reverse("complaint-list"), {"q": "刹车"})
    assert numbers(listed) == [mine.number]
    # The nav search with the other store's number finds nothing instead of opening it.
    found = client.get(reverse("search"), {"q": theirs.number}, follow=True)
    assert found.status_code == 200 and numbers(found) == []
    not_found = client.get(reverse("complaint-detail", args=[theirs.pk]))
    assert "找不到" in not_found.content.decode()


def test_search_box_opens_a_form_number_or_searches_text(client, shop, frozen):
    c = new_complaint(shop, summary="变速箱顿挫")
    as_user(client, shop.manager)
    response = client.get(reverse("search"), {"q": c.number.lower()})
    assert response.status_code == 302
    assert response["Location"] == reverse("complaint-detail", args=[c.pk])
    response = client.get(reverse("search"), {"q": "顿挫"})
    assert response["Location"] == reverse("complaint-list") + "?q=%E9%A1%BF%E6%8C%AB"
    by_number = client.get(reverse("complaint-by-number", args=[c.number]))
    assert by_number["Location"] == reverse("complaint-detail", args=[c.pk])


# --- conflict of interest ------------------------------------------------------------------------


def test_involved_staff_sees_no_actions_and_cannot_act(client, shop, frozen):
    c = new_complaint(shop, involved_staff=[shop.manager.pk])
    as_user(client, shop.manager)
    html = client.get(reverse("complaint-detail", args=[c.pk])).content.decode()
    assert 'id="involved-notice"' in html
    assert "/act/" not in html
    assert "编辑详情" not in html  # no "Edit details" either
    assert c.number not in client.get("/").content.decode()

    events = ComplaintEvent.objects.filter(complaint=c).count()
    response = client.post(
        reverse("complaint-act", args=[c.pk, "accept"]),
        {"accept-expected_version": c.version, "accept-nature": "quality"},
        follow=True,
    )
    assert response.status_code == 200
    assert "不得处理" in response.content.decode()
    c.refresh_from_db()
    assert (c.status, c.version) == (Status.RECEIVED, 1)
    assert ComplaintEvent.objects.filter(complaint=c).count() == events

    edit = client.post(
        reverse("complaint-edit", args=[c.pk]),
        {"expected_version": 1, "channel": "onsite", "summary": "改掉", "description": "x"},
    )
    assert edit.status_code == 302
    c.refresh_from_db()
    assert c.summary != "改掉"

    # The CS director, not named in it, sees the actions.
    director = client.__class__()
    html = as_user(director, shop.director).get(reverse("complaint-detail", args=[c.pk]))
    assert "/act/accept/" in html.content.decode()


# --- escaping ----------------------------------------------------------------------------------


def test_customer_text_is_escaped_everywhere(client, shop, frozen):
    evil = "<script>alert(1)</script>"
    c = new_complaint(
        shop,
        summary=f"{evil} 刹车",
        description=f'{evil}<img src=x onerror="alert(2)"> javascript:alert(3)',
        customer_demand="<b>赔偿</b>",
    )
    workflow.perform("accept", c.pk, actor=shop.manager, nature="quality", comment=evil)
    as_user(client, shop.director)
    pages = {
        "list": client.get(reverse("complaint-list")),
        "my work": client.get("/"),
        "detail": client.get(reverse("complaint-detail", args=[c.pk])),
    }
    for name, response in pages.items():
        html = response.content.decode()
        assert "<script>" not in html, name
        assert "&lt;script&gt;" in html, name
    detail = pages["detail"].content.decode()
    assert "<img" not in detail and "&lt;img src=x onerror=&quot;alert(2)&quot;&gt;" in detail
    assert "<b>赔偿</b>" not in detail and "&lt;b&gt;赔偿&lt;/b&gt;" in detail
    assert 'href="javascript' not in detail


def test_a_number_in_two_of_my_stores_lists_both(client, shop, other_shop, frozen):
    from complaintdesk.org.models import Role, User
    from complaintdesk.org.services import role_grant

    mine = new_complaint(shop, summary="A店")
    theirs = new_complaint(other_shop, summary="B店")
    assert mine.number == theirs.number == "FK-202612-0001"
    group_director = User.objects.create_user("group-director", password="x-pass-123")
    role_grant(user=group_director, role=Role.CS_DIRECTOR, group=shop.store.group)
    as_user(client, group_director)
    for url in (
        reverse("complaint-by-number", args=[mine.number]),
        reverse("search") + f"?q={mine.number}",
    ):
        response = client.get(url, follow=True)
        assert response.status_code == 200
        assert sorted(numbers(response)) == [mine.number, theirs.number]
        html = response.content.decode()
        assert "A店" in html and "B店" in html
    # Several stores: the table says which store each row belongs to.
    assert "Store a" in html and "Store b" in html
