"""The suggestion panel in Debian's chromium: typing the summary brings the suggestion (htmx),
"Apply" fills the form's selects (app.js), the filer changes one, and the record keeps both."""

from pathlib import Path

import pytest

from complaintdesk.complaints.models import Complaint
from complaintdesk.triage.models import TriageRecord

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
PASSWORD = "test-pass-123"


@pytest.fixture
def page(monkeypatch, live_server, shop):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        context = browser.new_context(locale="zh-CN")
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.goto(f"{live_server.url}/login/")
        page.fill("#id_username", shop.reception.username)
        page.fill("#id_password", PASSWORD)
        page.click("main form button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        yield page
        browser.close()


def test_typing_suggests_and_apply_fills_the_form(page, live_server, shop):
    from playwright.sync_api import expect

    page.goto(f"{live_server.url}/complaints/new/")
    page.select_option("#id_channel", "onsite")
    page.fill("#id_description", "客户说冷车启动时有异响")
    page.locator("#id_summary").press_sequentially("发动机异响，底盘漏油", delay=20)
    apply = page.locator("#triage-panel [data-triage-apply]")
    expect(apply).to_have_attribute("data-nature", "quality")
    expect(page.locator("#triage-panel .triage-nature mark").first).to_have_text("异响")
    apply.click()
    expect(page.locator("#id_nature")).to_have_value("quality")
    expect(page.locator("#id_severity")).to_have_value("ordinary")
    service = shop.department("service")
    expect(page.locator("#id_concerned_department")).to_have_value(str(service.pk))
    page.select_option("#id_severity", "major")  # the filer changes one
    page.click("form[data-once] button[type=submit]")
    page.wait_for_url("**/complaints/*/")
    c = Complaint.objects.get()
    r = TriageRecord.objects.get(complaint=c)
    assert (r.entry, r.nature_accepted, r.severity_accepted, r.department_accepted) == (
        "ui",
        True,
        False,
        True,
    )
    expect(page.locator("#triage-record")).to_be_visible()
