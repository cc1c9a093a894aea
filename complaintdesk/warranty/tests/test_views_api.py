"""The complaint page's panel, the import and thresholds pages, and the API: what each shows, and
that another store's complaint is 404 and the staff complained about get 403."""

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from complaintdesk.complaints.choices import EventKind
from complaintdesk.complaints.models import Vehicle
from complaintdesk.warranty.models import LegalRiskFlag, RepairVisit, WarrantyThreshold
from complaintdesk.warranty.tests.helpers import (
    NOW,
    VIN,
    client_for,
    record,
    set_facts,
    vehicle_complaint,
)

D = dt.date


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def visit_post(prefix="new", **values):
    data = {
        "repair_order": "RO-77",
        "date_in": "2026-06-01",
        "date_out": "2026-06-03",
        "mileage_km": "11000",
        "kind": "quality",
        "system": "gearbox",
        "fault_description": "换挡顿挫 <script>alert(1)</script>",
        "parts_replaced": "阀体",
        "excluded_days": "0",
        "is_complaint_fault": "on",
        **values,
    }
    return {f"{prefix}-{k}": v for k, v in data.items()}


# --- the panel ---------------------------------------------------------------------------------


def test_panel_shows_the_standing_and_visits(shop, frozen):
    c = vehicle_complaint(shop)
    set_facts(shop, c)
    for i in range(5):
        record(
            shop,
            c,
            f"RO-{i}",
            D(2025, 10, 1) + dt.timedelta(days=30 * i),
            mileage_km=2_000 + 1_000 * i,
            is_complaint_fault=True,
        )
    page = client_for(shop.director).get(reverse("complaint-detail", args=[c.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="warranty-panel"' in html
    assert 'data-condition="same_problem_repairs" data-standing="met"' in html
    assert 'data-condition="repair_days" data-standing="not_met"' in html
    assert html.count('data-visit="RO-') == 5
    assert 'id="warranty-add-visit"' in html  # the director may record


def test_panel_names_the_earlier_complaint_a_visit_was_marked_for(shop, other_shop, frozen):
    """A repeat complaint about the same fault: the visits marked for the earlier complaint say
    so on the new one's panel, so the handler knows which to mark again."""
    first = vehicle_complaint(shop)
    record(shop, first, "RO-1", D(2026, 3, 2), is_complaint_fault=True)
    record(shop, first, "RO-2", D(2026, 4, 6))
    second = vehicle_complaint(shop)
    assert second.vehicle_id == first.vehicle_id
    html = client_for(shop.director).get(reverse("complaint-detail", args=[second.pk]))
    html = html.content.decode()
    assert html.count("data-other-faults") == 1
    row = html[html.index('data-visit="RO-1"') : html.index('data-visit="RO-2"')]
    assert f">{first.number}</a>" in row
    # Its own marks are not "another complaint's".
    html = client_for(shop.director).get(reverse("complaint-detail", args=[first.pk]))
    assert "data-other-faults" not in html.content.decode()
    # The staff of another store cannot open either page.
    page = client_for(other_shop.director).get(reverse("complaint-detail", args=[second.pk]))
    assert page.status_code == 404


def test_panel_for_the_staff_complained_about_has_no_forms_and_no_panel_without_vehicle(
    shop, frozen
):
    c = vehicle_complaint(shop, involved_staff=[shop.advisor.pk])
    html = client_for(shop.advisor).get(reverse("complaint-detail", args=[c.pk])).content.decode()
    assert 'id="warranty-panel"' in html and 'id="warranty-add-visit"' not in html
    from complaintdesk.complaints.tests.factories import new_complaint

    bare = new_complaint(shop)
    html = (
        client_for(shop.director).get(reverse("complaint-detail", args=[bare.pk])).content.decode()
    )
    assert 'id="warranty-panel"' not in html


def test_record_a_visit_through_the_panel(shop, frozen):
    c = vehicle_complaint(shop)
    client = client_for(shop.advisor)
    url = reverse("warranty:visit-save", args=[c.pk]) + "?prefix=new"
    response = client.post(url, visit_post())
    assert response.status_code == 302 and response["Location"].endswith("#warranty-panel")
    visit = RepairVisit.objects.get(repair_order="RO-77")
    assert (visit.date_out, visit.system, list(visit.fault_of.all())) == (
        D(2026, 6, 3),
        "gearbox",
        [c],
    )
    html = client.get(reverse("complaint-detail", args=[c.pk])).content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html

    bad = client.post(url, visit_post(date_out="2026-05-01"))
    assert bad.status_code == 422
    assert (
        "出厂日期不能早于进厂日期。" in bad.content.decode()
    )  # the car cannot leave before it came in
    assert RepairVisit.objects.get().date_out == D(2026, 6, 3)

    # Correct it through its own form, then unmark and delete.
    prefix = f"v{visit.pk}"
    response = client.post(
        reverse("warranty:visit-save", args=[c.pk]) + f"?prefix={prefix}",
        visit_post(prefix, date_out="2026-06-05"),
    )
    assert response.status_code == 302
    assert RepairVisit.objects.get().date_out == D(2026, 6, 5)
    client.post(
        reverse("warranty:visit-fault", args=[c.pk, visit.pk]), {"is_complaint_fault": "false"}
    )
    assert not visit.fault_of.exists()
    client.post(reverse("warranty:visit-delete", args=[c.pk, visit.pk]))
    assert not RepairVisit.objects.exists()
    assert c.events.filter(kind=EventKind.EDITED).count() == 4


def test_vehicle_facts_through_the_panel(shop, frozen):
    c = vehicle_complaint(shop)
    client = client_for(shop.specialist)
    url = reverse("warranty:facts", args=[c.pk])
    ok = client.post(
        url,
        {
            "invoice_date": "2025-08-30",
            "delivery_date": "2025-09-01",
            "mileage_km": "12000",
            "mileage_read_on": "2026-06-15",
        },
    )
    assert ok.status_code == 302
    assert Vehicle.objects.get(pk=c.vehicle_id).delivery_date == D(2025, 9, 1)
    bad = client.post(url, {"invoice_date": "2026-07-01"})
    assert bad.status_code == 422
    assert "不能是将来的日期。" in bad.content.decode()  # cannot be in the future


def test_panel_writes_are_store_scoped_and_refuse_the_staff_complained_about(
    shop, other_shop, frozen
):
    c = vehicle_complaint(shop, involved_staff=[shop.advisor.pk])
    visit = record(shop, c, "RO-1", D(2026, 6, 1), actor=shop.specialist)
    urls = [
        (reverse("warranty:visit-save", args=[c.pk]), visit_post()),
        (reverse("warranty:facts", args=[c.pk]), {"invoice_date": "2025-01-01"}),
        (reverse("warranty:visit-fault", args=[c.pk, visit.pk]), {"is_complaint_fault": "true"}),
        (reverse("warranty:visit-delete", args=[c.pk, visit.pk]), {}),
    ]
    for url, data in urls:
        assert client_for(other_shop.director).post(url, data).status_code == 404
        assert client_for(shop.advisor).post(url, data).status_code == 403
        assert client_for(shop.reception).post(url, data).status_code == 403
    assert RepairVisit.objects.count() == 1 and not RepairVisit.objects.get().fault_of.exists()
    assert Vehicle.objects.get(pk=c.vehicle_id).invoice_date is None


# --- the import page ------------------------------------------------------------------------------


def csv_upload(rows, name="dms.csv"):
    header = "工单号,车架号,进厂日期,出厂日期,里程,是否本投诉故障"
    return SimpleUploadedFile(name, ("\n".join([header, *rows]) + "\n").encode("utf-8-sig"))


def test_import_page(shop, other_shop, frozen):
    c = vehicle_complaint(shop)
    client = client_for(shop.specialist)
    url = reverse("warranty:import")
    assert client.get(url).status_code == 200
    assert client_for(shop.reception).get(url).status_code == 403
    page = client.get(f"{url}?complaint={c.pk}")
    assert c.number in page.content.decode()
    assert client_for(other_shop.specialist).get(f"{url}?complaint={c.pk}").status_code == 404

    good = client.post(
        url,
        {
            "store": shop.store.pk,
            "complaint": c.pk,
            "file": csv_upload([f"A1,{VIN},2026-06-01,2026-06-02,11000,是"]),
        },
    )
    assert good.status_code == 200 and 'id="import-report"' in good.content.decode()
    assert list(RepairVisit.objects.get(repair_order="A1").fault_of.all()) == [c]
    bad = client.post(
        url,
        {"store": shop.store.pk, "file": csv_upload([f"A2,{VIN},2026-06-09,2026-06-02,11000,"])},
    )
    html = bad.content.decode()
    assert bad.status_code == 422 and 'id="import-errors"' in html and "出厂日期" in html
    assert not RepairVisit.objects.filter(repair_order="A2").exists()
    # Another store's id is not a choice.
    other = client.post(url, {"store": other_shop.store.pk, "file": csv_upload([])})
    assert (
        other.status_code == 422 and not RepairVisit.objects.filter(store=other_shop.store).exists()
    )


def test_import_page_refuses_the_staff_complained_about(shop, frozen):
    c = vehicle_complaint(shop, involved_staff=[shop.advisor.pk])
    response = client_for(shop.advisor).post(
        reverse("warranty:import"),
        {
            "store": shop.store.pk,
            "complaint": c.pk,
            "file": csv_upload([f"A1,{VIN},2026-06-01,,1,是"]),
        },
    )
    assert response.status_code == 403
    assert not RepairVisit.objects.exists()


# --- the thresholds page --------------------------------------------------------------------------


def test_thresholds_page(shop, other_shop, frozen):
    url = reverse("warranty:thresholds")
    page = client_for(shop.gm).get(f"{url}?store={shop.store.pk}")
    assert page.status_code == 200 and 'data-code="repair_days"' in page.content.decode()
    assert 'id="threshold-form"' not in page.content.decode()
    data = {
        "store": shop.store.pk,
        "code": "sanbao_years",
        "value": "3",
        "effective_from": "2022-01-01",
    }
    assert client_for(shop.gm).post(url, data).status_code == 403
    assert client_for(other_shop.director).post(url, data).status_code == 404
    assert client_for(shop.director).post(url, {**data, "value": "1"}).status_code == 422
    assert client_for(shop.director).post(url, data).status_code == 302
    row = WarrantyThreshold.objects.get(store=shop.store)
    assert (row.code, row.value, row.unit) == ("sanbao_years", 3, "year")
    assert (
        client_for(other_shop.director)
        .post(reverse("warranty:threshold-delete", args=[row.pk]))
        .status_code
        == 404
    )
    client_for(shop.director).post(reverse("warranty:threshold-delete", args=[row.pk]))
    assert not WarrantyThreshold.objects.filter(store=shop.store).exists()


# --- the API --------------------------------------------------------------------------------------


def test_api_evaluation_facts_and_visits(shop, other_shop, frozen):
    c = vehicle_complaint(shop)
    client = client_for(shop.manager)
    url = f"/api/warranty/complaints/{c.pk}"
    body = client.get(url).json()
    assert body["standing"]["code"] == "unknown"
    assert "no_start" not in body["unknowns"]  # words, not codes
    assert body["vehicle"]["vin"] == VIN

    facts = client.put(
        f"{url}/vehicle",
        {
            "invoice_date": "2025-09-01",
            "delivery_date": None,
            "mileage_km": 12000,
            "mileage_read_on": "2026-06-15",
        },
        content_type="application/json",
    )
    assert facts.status_code == 200 and facts.json()["start"] == "2025-09-01"
    bad = client.put(
        f"{url}/vehicle", {"invoice_date": "2099-01-01"}, content_type="application/json"
    )
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} == {"invoice_date"}

    visit = {
        "repair_order": "RO-1",
        "date_in": "2026-06-01",
        "date_out": "2026-06-03",
        "mileage_km": 11_000,
        "system": "gearbox",
        "is_complaint_fault": True,
    }
    created = client.post(f"{url}/visits", visit, content_type="application/json")
    assert created.status_code == 201
    out = created.json()
    assert out["visits"][0]["days"] == 3 and out["visits"][0]["is_complaint_fault"] is True
    assert out["same_problem_repairs"] == 1 and out["repair_days"] == 3
    assert {c["code"] for c in out["conditions"]} >= {"repair_days", "same_problem_repairs"}
    visit_id = out["visits"][0]["id"]
    conflict = client.post(
        f"{url}/visits", {**visit, "date_out": "2026-06-04"}, content_type="application/json"
    )
    assert conflict.status_code == 409 and conflict.json()["code"] == "repair_order_exists"
    assert conflict.json()["errors"][0]["field"] == "repair_order"
    assert f"PUT /api/warranty/complaints/{c.pk}/visits/{visit_id}" in conflict.json()["detail"]
    again = client.put(
        f"{url}/visits/{visit_id}",
        {**visit, "date_out": "2026-06-04"},
        content_type="application/json",
    )
    assert again.status_code == 200 and again.json()["repair_days"] == 4
    wrong = client.post(
        f"{url}/visits", {**visit, "system": "rocket"}, content_type="application/json"
    )
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "system"
    gone = client.delete(f"{url}/visits/{visit_id}")
    assert gone.status_code == 200 and gone.json()["visits"] == []


def test_api_flags_are_reported(shop, frozen):
    c = vehicle_complaint(shop)
    set_facts(shop, c)
    for i in range(5):
        record(
            shop,
            c,
            f"RO-{i}",
            D(2025, 10, 1) + dt.timedelta(days=30 * i),
            mileage_km=2_000 + 1_000 * i,
            is_complaint_fault=True,
        )
    body = client_for(shop.gm).get(f"/api/warranty/complaints/{c.pk}").json()
    assert body["conditions_met"] == ["same_problem_repairs"]
    assert [f["condition"]["code"] for f in body["flags"]] == ["same_problem_repairs"]
    assert LegalRiskFlag.objects.count() == 1


def test_api_store_scope_and_conflict_of_interest(shop, other_shop, frozen):
    c = vehicle_complaint(shop, involved_staff=[shop.advisor.pk])
    visit = record(shop, c, "RO-1", D(2026, 6, 1), actor=shop.specialist)
    url = f"/api/warranty/complaints/{c.pk}"
    outsider = client_for(other_shop.director)
    assert outsider.get(url).status_code == 404
    assert outsider.put(f"{url}/vehicle", {}, content_type="application/json").status_code == 404
    payload = {"repair_order": "RO-2", "date_in": "2026-06-01"}
    assert (
        outsider.post(f"{url}/visits", payload, content_type="application/json").status_code == 404
    )
    assert outsider.delete(f"{url}/visits/{visit.pk}").status_code == 404
    involved = client_for(shop.advisor)
    assert involved.get(url).status_code == 200  # may read, never handle
    refused = involved.post(f"{url}/visits", payload, content_type="application/json")
    assert refused.status_code == 403 and refused.json()["code"] == "conflict_of_interest"
    assert involved.delete(f"{url}/visits/{visit.pk}").status_code == 403
    assert (
        client_for(shop.reception)
        .post(f"{url}/visits", payload, content_type="application/json")
        .status_code
        == 403
    )
    assert RepairVisit.objects.count() == 1


def test_api_import(shop, other_shop, frozen):
    c = vehicle_complaint(shop)
    client = client_for(shop.advisor)
    ok = client.post(
        "/api/warranty/import",
        {"store": shop.store.code, "file": csv_upload([f"B1,{VIN},2026-06-01,2026-06-02,11000,"])},
    )
    assert ok.status_code == 200 and ok.json()["created"] == 1
    bad = client.post(
        "/api/warranty/import",
        {
            "store": shop.store.code,
            "file": csv_upload([f"B2,{VIN},2026-06-01,2026-06-02,11000,", "B3,XX,2026-06-01,,1,"]),
        },
    )
    body = bad.json()
    assert bad.status_code == 422 and body["code"] == "validation_failed"
    assert [(e["row"], e["column"]) for e in body["errors"]] == [(3, "车架号")]
    assert body["report"]["created"] == 0
    assert not RepairVisit.objects.filter(repair_order="B2").exists()
    assert (
        client_for(other_shop.advisor)
        .post("/api/warranty/import", {"store": shop.store.code, "file": csv_upload([])})
        .status_code
        == 404
    )
    unreadable = client.post(
        "/api/warranty/import",
        {"store": shop.store.code, "file": SimpleUploadedFile("x.pdf", b"%PDF")},
    )
    assert unreadable.status_code == 422 and unreadable.json()["code"] == "import_refused"
    c2 = vehicle_complaint(shop, involved_staff=[shop.advisor.pk])
    assert (
        client.post(
            "/api/warranty/import",
            {"store": shop.store.code, "complaint": c2.pk, "file": csv_upload([])},
        ).status_code
        == 403
    )
    assert c.pk
