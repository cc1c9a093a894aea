"""Every report figure against the hand-counted data set of dataset.py, and every figure equal to
the number of rows of its drill-down list."""

import datetime as dt
from urllib.parse import urlencode

import pytest
import time_machine
from django.urls import reverse

from complaintdesk.deadlines.sweep import sweep
from complaintdesk.org.models import Role, User
from complaintdesk.org.services import role_grant
from complaintdesk.reports import selectors
from complaintdesk.reports.tests import dataset
from complaintdesk.reports.tests.factories import client_for


@pytest.fixture
def data(shop):
    with time_machine.travel(dataset.NOW, tick=False):
        made = dataset.build(shop)
        sweep(dataset.NOW)  # records the missed deadlines (deadlines.Breach)
        yield made


def figs_for(user, **kw):
    start, end = dataset.NOV
    figs = selectors.dashboard(user, start=start, end=end, now=dataset.NOW, **kw)
    return {f.name: f for f in figs}


def values(fig):
    return {str(r.label): r.value for r in fig.rows}


def test_every_figure_matches_the_hand_count(data, shop):
    with time_machine.travel(dataset.NOW, tick=False):
        f = figs_for(shop.gm)
    assert [r.value for r in f["overview"].rows] == [4, 2, 2]  # received, closed, repeat
    assert values(f["channel"]) == {"电话接收 / 投诉热线": 2, "网页表单": 1, "现场": 1}
    assert values(f["nature"]) == {"尚未判定": 2, "质量问题": 1, "服务态度": 1}
    assert values(f["department"]) == {"无部门": 3, "售后服务部": 1}
    assert values(f["staff"]) == {str(shop.techdir): 2, str(shop.advisor): 1}
    assert values(f["vehicle_model"]) == {"X1": 1, "Y": 1, "未知": 2}
    assert values(f["category"]) == {"刹车": 2, "未记录": 2}
    register = f["steps"].rows[0]
    # Register within 1 h: c1 and c4 were registered on 12-01, c3 is still open past due; only
    # c6 (received 23:30, due 00:30, now 00:10) is on time. 4 steps, 3 late → 25 %.
    assert (register.value, register.extra["late"], register.extra["on_time_rate"]) == (4, 3, 25.0)
    assert {(str(r.label), r.value, r.extra["late"]) for r in f["steps"].rows[1:]} == {
        ("责任判定", 2, 0),
        ("管理部审核", 1, 0),
        ("总经理决定", 1, 0),
        ("执行责任追究并移交", 1, 0),
        ("回访客户", 1, 0),
    }
    # c3 missed its registration (the customer manager's) and the consumer notice (nobody's).
    assert values(f["missed"]) == {str(shop.manager): 1, "未分派": 1}
    assert values(f["satisfaction"]) == {"满意": 1, "不满意": 0}
    # c8 became a pending matter on 10-20: 41 days on 12-01.
    assert values(f["pending"]) == {"0-7": 0, "8-30": 0, "31-90": 1, "90+": 0}
    monthly = values(f["monthly"])
    assert (monthly["2026-10"], monthly["2026-11"]) == (2, 4)  # c2 + c8; c5 voided not counted
    assert sum(monthly.values()) == 6
    weekly = values(f["weekly"])
    assert weekly["2026-10-26"] == 2  # c2 (10-31) and c1 (11-01)
    assert weekly["2026-11-09"] == 2  # c3, c4
    assert weekly["2026-11-16"] == 0  # only the voided c5
    assert weekly["2026-11-30"] == 2  # c6 and c7 (12-01 00:05 local)


def test_local_month_boundaries(data, shop):
    """c1 at 07:30 Shanghai on 11-01 is 10-31 in UTC but November's; c7 at 00:05 on 12-01 is
    11-30 in UTC but December's; c2 at 23:30 on 10-31 is October's."""
    with time_machine.travel(dataset.NOW, tick=False):
        nov = selectors.dashboard(shop.gm, start=dt.date(2026, 11, 1), end=dt.date(2026, 11, 1))
        dec = selectors.dashboard(shop.gm, start=dt.date(2026, 12, 1), end=dt.date(2026, 12, 1))
        octo = selectors.dashboard(shop.gm, start=dt.date(2026, 10, 31), end=dt.date(2026, 10, 31))
    assert nov[0].rows[0].value == 1
    assert dec[0].rows[0].value == 1
    assert octo[0].rows[0].value == 1
    assert data["c1"].received_at.astimezone(dt.UTC).date() == dt.date(2026, 10, 31)
    assert data["c7"].received_at.astimezone(dt.UTC).date() == dt.date(2026, 11, 30)


def test_every_figure_equals_the_rows_of_its_drill_down_list(data, shop, client):
    client.force_login(shop.gm)
    checked = 0
    with time_machine.travel(dataset.NOW, tick=False):
        figs = figs_for(shop.gm)
        for fig in figs.values():
            for row in fig.rows:
                links = [(row.params, row.value)]
                if "late_params" in row.extra:
                    links.append((row.extra["late_params"], row.extra["late"]))
                for params, value in links:
                    response = client.get(f"{reverse('complaint-list')}?{urlencode(params)}")
                    assert response.status_code == 200
                    assert response.context["form"].errors == {}, params
                    assert response.context["page"].paginator.count == value, (fig.name, params)
                    checked += 1
    assert checked > 40


def test_dashboard_page_links_each_number_to_its_list(data, shop, client):
    client.force_login(shop.director)
    with time_machine.travel(dataset.NOW, tick=False):
        page = client.get(
            reverse("reports-dashboard"), {"start": "2026-11-01", "end": "2026-11-30"}
        )
        assert page.status_code == 200
        html = page.content.decode()
        assert "vendor/echarts/echarts.min.js" in html
        overview = page.context["figures"][0].rows[2]  # repeat complaints
        assert overview.url in html.replace("&amp;", "&")
        listed = client.get(overview.url)
    assert listed.context["page"].paginator.count == 2
    assert {c.pk for c in listed.context["page"]} == {data["c1"].pk, data["c6"].pk}


def test_store_scope_and_roles(data, shop, other_shop, client):
    with time_machine.travel(dataset.NOW, tick=False):
        from complaintdesk.complaints.tests.factories import new_complaint

        new_complaint(other_shop, received_at=dataset.at(11, 20, 9))
        # Another store's GM sees only their own store and gets 404 for this one.
        assert figs_for(other_shop.gm)["overview"].rows[0].value == 1
        client.force_login(other_shop.gm)
        url = reverse("reports-dashboard")
        assert client.get(url, {"store": shop.store.pk}).status_code == 404
        assert (
            client.get(
                reverse("reports-figure-xlsx", args=["channel"]), {"store": shop.store.pk}
            ).status_code
            == 404
        )
        assert (
            client.get(reverse("reports-summary-xlsx"), {"store": shop.store.pk}).status_code == 404
        )
        api = client_for(other_shop.gm)
        assert api.get(f"/api/reports/dashboard?store={shop.store.pk}").status_code == 404
        # Roles without the dashboard (a receptionist, a service advisor) get 404.
        for user in (shop.reception, shop.advisor):
            client.force_login(user)
            assert client.get(url).status_code == 404
        # A group-level GM sees every store of the group, or one of them.
        boss = User.objects.create_user("group-gm", password="test-pass-123")
        role_grant(user=boss, role=Role.GENERAL_MANAGER, group=shop.store.group)
        assert figs_for(boss)["overview"].rows[0].value == 5
        assert figs_for(boss, store=other_shop.store.pk)["overview"].rows[0].value == 1
        client.force_login(boss)
        assert client.get(url, {"store": shop.store.pk}).status_code == 200
        data_api = client_for(boss).get("/api/reports/dashboard?start=2026-11-01&end=2026-11-30")
        assert data_api.status_code == 200
        assert data_api.json()["overview"]["rows"][0]["value"] == 5


def test_figure_download_is_an_excel_file(data, shop, client):
    import io

    from openpyxl import load_workbook

    client.force_login(shop.mgmt)
    with time_machine.travel(dataset.NOW, tick=False):
        r = client.get(
            reverse("reports-figure-xlsx", args=["channel"]),
            {"start": "2026-11-01", "end": "2026-11-30"},
        )
    assert r.status_code == 200
    ws = load_workbook(io.BytesIO(r.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert sorted(rows[1:]) == sorted([("电话接收 / 投诉热线", 2), ("网页表单", 1), ("现场", 1)])
