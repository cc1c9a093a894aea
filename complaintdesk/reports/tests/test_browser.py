"""The dashboard in Debian's chromium: the GM opens it, an ECharts chart is drawn from our own
static file, and a number leads to the list of exactly the complaints behind it."""

import re

import pytest
import time_machine

from complaintdesk.complaints.tests.test_browser import (  # noqa: F401
    ARGS,
    CHROMIUM,
    browser,  # noqa: F401  (fixture)
    login,
)
from complaintdesk.reports.tests import dataset

pytestmark = pytest.mark.browser


def test_dashboard_chart_and_drill_down(browser, live_server, shop):  # noqa: F811
    from playwright.sync_api import expect

    with time_machine.travel(dataset.NOW, tick=False):
        dataset.build(shop)
    base = live_server.url
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    login(page, base, shop.gm)
    page.click("text=报表")
    page.fill("#id_start", "2026-11-01")
    page.fill("#id_end", "2026-11-30")
    page.click("#report-period button[type=submit]")
    page.wait_for_url(re.compile(r"start=2026-11-01"))
    # ECharts drew the channel pie as SVG inside the chart box.
    chart = page.locator("#fig-channel .chart svg")
    expect(chart).to_be_visible()
    assert page.locator("#fig-channel .chart svg path").count() >= 3
    assert all(u.startswith(base) for u in requests), "everything is served by us"
    # The repeat-complaint figure (2: c1 and c6) opens the list of those two complaints.
    link = page.locator("#fig-overview a.figure-link").nth(2)
    expect(link).to_have_text("2")
    link.click()
    page.wait_for_url(re.compile(r"/complaints/\?.*repeat=on"))
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(2)
    context.close()
