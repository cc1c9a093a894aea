"""Guidance while handling, in Debian's chromium: the delay script's "agrees" closes the
complaint from the complaint page (htmx post, HX-Redirect back with the message), a repair visit
recorded in the three-guarantees panel turns the same-problem count red at the fifth, and the
playbook's "back to the shipped text" asks first (app.js data-confirm)."""

import datetime as dt
import importlib

import pytest
from django.utils import timezone

from complaintdesk.complaints.choices import Nature, Status
from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.tests.test_browser import browser, login  # noqa: F401 (fixture)
from complaintdesk.guidance import services
from complaintdesk.guidance.models import GuidanceEntry, GuidanceRevision, ScriptUse
from complaintdesk.guidance.tests.test_handling import accepted
from complaintdesk.warranty.models import RepairVisit
from complaintdesk.warranty.tests.helpers import SHANGHAI, record, set_facts, vehicle_complaint

pytestmark = pytest.mark.browser


@pytest.fixture
def law_thresholds(transactional_db):
    """The regulation's thresholds come with a migration; an earlier transactional test of the
    session flushed them, so put them back."""
    from django.apps import apps

    from complaintdesk.warranty.models import WarrantyThreshold

    if not WarrantyThreshold.objects.filter(store__isnull=True).exists():
        importlib.import_module("complaintdesk.warranty.migrations.0002_thresholds_2022").load(
            apps, None
        )


def signed_in(chromium, live_server, user):
    page = chromium.new_context(locale="zh-CN").new_page()
    page.set_default_timeout(10_000)
    login(page, live_server.url, user)
    return page


def test_delay_agrees_closes_the_complaint_from_its_page(browser, live_server, shop):  # noqa: F811
    from playwright.sync_api import expect

    c = accepted(shop, Nature.DELAY)
    page = signed_in(browser, live_server, shop.advisor)
    page.goto(f"{live_server.url}/complaints/{c.pk}/")
    script = page.locator("#script-delay")
    if script.get_attribute("open") is None:
        script.locator("summary").click()
    page.check("#answer-delay-waits-informed")
    page.fill("#note-delay", "客户同意再等两小时 <b>不要加粗</b>")
    script.locator("button[type=submit]").click()
    expect(page.locator("#messages .alert-success")).to_contain_text("已记录，投诉已结案")
    fresh = Complaint.objects.get(pk=c.pk)
    assert fresh.status == Status.COMPLETED
    assert ScriptUse.objects.filter(complaint=c, ended=True).count() == 1
    # The customer's words come back as text, never as markup.
    assert page.locator("b", has_text="不要加粗").count() == 0


def test_fifth_visit_recorded_in_the_panel_meets_the_same_problem_condition(
    browser,  # noqa: F811
    live_server,
    shop,
    law_thresholds,
):
    from playwright.sync_api import expect

    # Dates relative to the store's today: the live server and the browser share the real clock
    # (a frozen clock would expire the session cookie), and the outcome does not depend on it.
    today = timezone.localdate(timezone=SHANGHAI)
    c = vehicle_complaint(shop)
    set_facts(shop, c, delivery=today - dt.timedelta(days=300), km=9_000)
    for i in range(4):
        day = today - dt.timedelta(days=250 - 50 * i)
        record(shop, c, f"RO-{i}", day, mileage_km=2_000 + 1_000 * i, is_complaint_fault=True)
    page = signed_in(browser, live_server, shop.specialist)
    page.goto(f"{live_server.url}/complaints/{c.pk}/")
    condition = page.locator('[data-condition="same_problem_repairs"]')
    expect(condition).to_have_attribute("data-standing", "close")
    page.locator("#warranty-add-visit summary").click()
    page.fill("#id_new-repair_order", "RO-5")
    page.fill("#id_new-date_in", (today - dt.timedelta(days=3)).isoformat())
    page.fill("#id_new-date_out", (today - dt.timedelta(days=2)).isoformat())
    page.fill("#id_new-mileage_km", "8800")
    page.select_option("#id_new-system", "gearbox")
    page.fill("#id_new-fault_description", "换挡顿挫")
    page.check("#id_new-is_complaint_fault")
    page.locator("#warranty-add-visit button[type=submit]").click()
    expect(page.locator('[data-visit="RO-5"]')).to_be_visible()
    expect(condition).to_have_attribute("data-standing", "met")
    assert RepairVisit.objects.filter(vehicle=c.vehicle).count() == 5


def test_back_to_the_shipped_text_asks_first(browser, live_server, shop):  # noqa: F811
    from playwright.sync_api import expect

    shipped = GuidanceEntry.objects.get(store__isnull=True, code="listen")
    services.entry_update(
        actor=shop.director,
        store=shop.store,
        code="listen",
        expected_version=shipped.version,
        title_en="Listen first, ours",
    )
    page = signed_in(browser, live_server, shop.director)
    page.goto(f"{live_server.url}/guidance/{shop.store.pk}/listen/")
    button = page.locator("#reset-form button")
    page.once("dialog", lambda dialog: dialog.dismiss())
    button.click()
    page.wait_for_timeout(300)
    assert GuidanceRevision.objects.count() == 1  # declined: nothing sent
    page.once("dialog", lambda dialog: dialog.accept())
    button.click()
    expect(page.locator("#messages .alert-success")).to_contain_text("已恢复为系统预置内容")
    own = GuidanceEntry.objects.get(store=shop.store, code="listen")
    assert (own.title_en, GuidanceRevision.objects.count()) == (shipped.title_en, 2)
