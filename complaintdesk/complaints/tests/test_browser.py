"""A whole workflow-A path through the real UI in Debian's chromium (Playwright, sync API).

The receptionist files the complaint through the form; the customer manager registers it and
determines responsibility, management reviews, the GM decides, management completes, the
callback agent records a satisfied callback and the CS director archives it. A user of another
store gets the 404 page. Screenshots go to test-artifacts/ (gitignored); with
UPDATE_DOCS_SCREENSHOT=1 the "my work" screenshot also replaces docs/screenshot.png.
"""

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest
from django.utils import timezone

from complaintdesk.complaints import workflow
from complaintdesk.complaints.choices import Nature, Severity
from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.tests.factories import new_complaint

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
REPO = Path(__file__).resolve().parents[3]
ARTIFACTS = REPO / "test-artifacts"
PASSWORD = "test-pass-123"


@pytest.fixture
def browser(monkeypatch):
    # Playwright's sync API runs an event loop in this thread; Django's ORM (used by fixtures
    # and checks here) refuses to run beside one unless told it is fine.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield browser
        browser.close()


def sample_work(shop):
    """A few complaints in the customer manager's queue, so the screenshot shows a real day."""
    now = timezone.now()
    new_complaint(
        shop,
        summary="保养后刹车异响，要求免费检查",
        channel="phone",
        customer_name="张先生",
        plate="京A·12345",
        received_at=now - dt.timedelta(hours=2, minutes=40),
    )
    new_complaint(
        shop,
        summary="钣喷后车门色差明显，要求返工",
        channel="onsite",
        customer_name="李女士",
        plate="京N·8D261",
        severity=Severity.MAJOR,
        received_at=now - dt.timedelta(minutes=25),
    )
    new_complaint(
        shop,
        summary="新车交付一周发动机故障灯亮，客户要求退车",
        channel="phone",
        customer_name="陈先生",
        plate="京Q·F0712",
        severity=Severity.CRITICAL,
        received_at=now - dt.timedelta(minutes=50),
    )
    c = new_complaint(
        shop,
        summary="工时费与报价不符",
        channel="letter",
        customer_name="王先生",
        plate="冀F·52H07",
        received_at=now - dt.timedelta(hours=5),
    )
    workflow.perform("accept", c.pk, actor=shop.manager, nature=Nature.LABOUR_CHARGE)


def login(page, base, user):
    page.goto(f"{base}/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{base}/")


def act(page, action, fill=None):
    """Open the action's collapsed form on the complaint page, fill it and send it."""
    page.click(f"#action-{action} > summary")
    form = page.locator(f"#action-{action} form")
    for selector, value in (fill or {}).items():
        target = form.locator(selector)
        tag = target.evaluate("e => e.tagName + (e.type ? ':' + e.type : '')")
        if tag.startswith("SELECT"):
            target.select_option(value)
        elif tag in ("INPUT:checkbox", "INPUT:radio"):
            target.check()
        else:
            target.fill(value)
    form.locator("button[type=submit]").click()


def test_workflow_a_through_the_browser(browser, live_server, shop, other_shop):
    from playwright.sync_api import expect

    ARTIFACTS.mkdir(exist_ok=True)
    sample_work(shop)
    base = live_server.url
    service = shop.department("service")

    def session(user, height=900):
        context = browser.new_context(
            locale="zh-CN", viewport={"width": 1366, "height": height}, device_scale_factor=1
        )
        page = context.new_page()
        page.set_default_timeout(10_000)
        login(page, base, user)
        return context, page

    # The receptionist files the complaint through the form.
    ctx, page = session(shop.reception)
    page.click("text=新建投诉")
    page.select_option("#id_channel", "onsite")
    page.fill("#id_summary", "空调出风有霉味，要求清洗")
    page.fill(
        "#id_description", "客户到店反映：空调<b>霉味</b>很重。\n照片见 https://example.com/p/1"
    )
    page.fill("#id_customer_name", "赵女士")
    page.fill("#id_customer_phone", "139 1000 2000")
    page.fill("#id_plate", "京B·A1234")
    page.select_option("#id_involved_staff", str(shop.advisor.pk))
    page.click("main form button[type=submit]")
    expect(page.locator("#status-label")).to_have_text("已接收，待受理登记")
    complaint = Complaint.objects.get(summary="空调出风有霉味，要求清洗")
    assert complaint.received_by == shop.reception
    assert list(complaint.involved_staff.all()) == [shop.advisor]
    expect(page.locator(".alert-success")).to_contain_text(complaint.number)
    # Customer text is shown as text; only the http link became a link.
    description = page.locator("dd", has_text="照片见")
    expect(description).to_contain_text("空调<b>霉味</b>很重")
    expect(description.locator("b")).to_have_count(0)
    expect(description.locator("a[href='https://example.com/p/1']")).to_have_count(1)
    detail_url = page.url
    ctx.close()

    # The customer manager finds it in "my work", registers it and determines responsibility.
    ctx, page = session(shop.manager, height=420)  # "my work" fits; the shot has no blank tail
    expect(page.locator("#work-counts")).to_contain_text("已超时 1")
    expect(page.locator(f"text={complaint.number}")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "my-work.png"), full_page=True)
    if os.environ.get("UPDATE_DOCS_SCREENSHOT") == "1":
        (REPO / "docs").mkdir(exist_ok=True)
        shutil.copy(ARTIFACTS / "my-work.png", REPO / "docs" / "screenshot.png")
    page.click(f"text={complaint.number}")
    act(page, "accept", {"select[name='accept-nature']": "quality"})
    expect(page.locator("#status-label")).to_have_text("责任判定中")
    act(
        page,
        "determine",
        {
            "select[name='determine-responsible_department']": str(service.pk),
            "textarea[name='determine-responsibility_finding']": "空调滤芯未按规定更换",
            "textarea[name='determine-handling_opinion']": "免费更换滤芯并清洗空调",
            "input[value='apology']": True,
            "input[value='free_rerepair']": True,
        },
    )
    expect(page.locator("#status-label")).to_have_text("管理部审核")
    ctx.close()

    steps = [
        (
            shop.mgmt,
            "review",
            {"#id_review-agreed_0": True, "textarea[name='review-opinion']": "同意处理意见"},
            "总经理决定",
        ),
        (shop.gm, "decide", {"textarea[name='decide-decision']": "同意，按制度处理"}, "责任追究"),
        (
            shop.mgmt,
            "complete",
            {"textarea[name='complete-accountability_note']": "已与责任技师面谈"},
            "回访",
        ),
        (
            shop.caller,
            "record_callback",
            {
                "#id_record_callback-reached_0": True,
                "#id_record_callback-satisfied_0": True,
                "textarea[name='record_callback-customer_words']": "处理及时，满意",
            },
            "已完成，待归档",
        ),
        (shop.director, "archive", {}, "已归档"),
    ]
    for user, action, fill, status in steps:
        ctx, page = session(user)
        page.goto(detail_url)
        act(page, action, fill)
        expect(page.locator("#status-label")).to_have_text(status)
        if action != "archive":
            ctx.close()
    expect(page.locator("#timeline")).to_contain_text("处理及时，满意")
    expect(page.locator("#actions")).to_have_count(0)  # archived: nothing more to do
    page.screenshot(path=str(ARTIFACTS / "complaint.png"), full_page=True)
    # The list refreshes in place (htmx) as a filter is typed, and the URL follows.
    page.click("text=投诉列表")
    expect(page.locator("#result-count")).to_have_text("共 5 条投诉")
    page.fill("#id_q", "霉味")
    expect(page.locator("#result-count")).to_have_text("共 1 条投诉")
    assert "q=%E9%9C%89%E5%91%B3" in page.url
    ctx.close()

    complaint.refresh_from_db()
    assert complaint.status == "archived"
    moves = complaint.events.filter(kind__in=["created", "transition"])
    assert list(moves.values_list("action", flat=True)) == [
        "create",
        "accept",
        "determine",
        "review",
        "decide",
        "complete",
        "record_callback",
        "archive",
    ]

    # A user of another store gets the 404 page, for the page and for the number.
    ctx, page = session(other_shop.director)
    response = page.goto(detail_url)
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("找不到")
    response = page.goto(f"{base}/complaints/number/{complaint.number}/")
    assert response.status == 404
    ctx.close()
