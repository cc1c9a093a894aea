"""Regressions found by testing: threshold overflow, the upload row limit, editing a visit by id,
create-only POST of visits, plate matching in the DMS import, and the import's timeline entry."""

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from complaintdesk.complaints.choices import EventKind
from complaintdesk.complaints.models import Vehicle
from complaintdesk.complaints.normalize import normalize_plate
from complaintdesk.core.errors import ValidationFailed
from complaintdesk.warranty import importing, services
from complaintdesk.warranty.importing import import_repairs_file
from complaintdesk.warranty.models import RepairVisit, WarrantyThreshold
from complaintdesk.warranty.tests.helpers import (
    NOW,
    OTHER_VIN,
    VIN,
    client_for,
    record,
    vehicle_complaint,
)

D = dt.date


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def edited_events(complaint):
    return complaint.events.filter(kind=EventKind.EDITED)


# --- 1. a threshold value too large for the database is a field error, not a 500 ---------------


def test_a_huge_threshold_value_is_a_form_error(shop, frozen):
    url = reverse("warranty:thresholds")
    data = {"store": shop.store.pk, "code": "sanbao_years", "effective_from": "2022-01-01"}
    client = client_for(shop.director)
    for value in ("99999999999999999999", "1000001"):
        response = client.post(url, {**data, "value": value})
        assert response.status_code == 422
        assert "value" in response.context["form"].errors
    assert client.post(url, {**data, "value": "1000000"}).status_code == 302
    assert WarrantyThreshold.objects.get(store=shop.store).value == 1_000_000


def test_the_service_refuses_a_huge_threshold_value(shop, frozen):
    for value in (99999999999999999999, 1_000_001):
        with pytest.raises(ValidationFailed) as exc:
            services.threshold_set(
                actor=shop.director,
                store=shop.store,
                code="sanbao_years",
                value=value,
                effective_from=D(2022, 1, 1),
            )
        assert set(exc.value.errors) == {"value"}
    assert not WarrantyThreshold.objects.filter(store=shop.store).exists()


# --- 2. uploads have a row limit; the command has none -----------------------------------------


def dms_csv(count: int, *, vin=VIN) -> bytes:
    rows = [f"L{i:05d},{vin},2026-06-01,2026-06-02,{1000 + i}" for i in range(count)]
    return ("\n".join(["工单号,车架号,进厂日期,出厂日期,里程", *rows]) + "\n").encode("utf-8")


def test_uploads_over_the_row_limit_are_refused_before_any_row_is_checked(
    shop, frozen, monkeypatch, tmp_path
):
    monkeypatch.setattr(importing, "WEB_MAX_ROWS", 3)
    # Invalid VINs: were the rows checked, the answer would list row errors instead.
    too_many = dms_csv(4, vin="XX")
    page = client_for(shop.advisor).post(
        reverse("warranty:import"),
        {"store": shop.store.pk, "file": SimpleUploadedFile("dms.csv", too_many)},
    )
    assert page.status_code == 422
    (message,) = page.context["form"].errors["file"]
    assert "3" in message and "4" in message
    assert f"complaintdesk warranty import-repairs FILE --store {shop.store.code}" in message

    api = client_for(shop.advisor).post(
        "/api/warranty/import",
        {"store": shop.store.code, "file": SimpleUploadedFile("dms.csv", too_many)},
    )
    body = api.json()
    assert api.status_code == 422 and body["code"] == "import_refused"
    assert "complaintdesk warranty import-repairs" in body["detail"]
    assert not RepairVisit.objects.exists()

    # At the limit it imports; the command takes any number of rows.
    ok = client_for(shop.advisor).post(
        "/api/warranty/import",
        {"store": shop.store.code, "file": SimpleUploadedFile("dms.csv", dms_csv(3))},
    )
    assert ok.status_code == 200 and ok.json()["created"] == 3
    path = tmp_path / "big.csv"
    path.write_bytes(dms_csv(5))
    call_command("warranty", "import-repairs", str(path), "--store", shop.store.code)
    assert RepairVisit.objects.count() == 5


def test_the_default_row_limit(db):
    assert importing.WEB_MAX_ROWS == 3_000


# --- 3. the edit form of a visit changes that visit, its number included ----------------------


def visit_form(prefix, **values):
    data = {
        "repair_order": "RO-1",
        "date_in": "2026-06-01",
        "date_out": "2026-06-03",
        "mileage_km": "11000",
        "kind": "quality",
        "system": "gearbox",
        "fault_description": "换挡顿挫",
        "parts_replaced": "阀体",
        "excluded_days": "0",
        "is_complaint_fault": "on",
        **values,
    }
    return {f"{prefix}-{k}": v for k, v in data.items()}


def test_renaming_a_visits_repair_order_on_the_page_renames_it(shop, frozen):
    c = vehicle_complaint(shop)
    visit = record(shop, c, "RO-1", D(2026, 6, 1), D(2026, 6, 3), mileage_km=11_000)
    other = record(shop, c, "RO-2", D(2026, 6, 5))
    client = client_for(shop.advisor)
    url = reverse("warranty:visit-save", args=[c.pk])
    prefix = f"v{visit.pk}"

    renamed = client.post(f"{url}?prefix={prefix}", visit_form(prefix, repair_order="RO-1A"))
    assert renamed.status_code == 302
    assert sorted(RepairVisit.objects.values_list("pk", "repair_order")) == sorted(
        [(visit.pk, "RO-1A"), (other.pk, "RO-2")]
    )
    assert "RO-1" in edited_events(c).last().comment and "RO-1A" in edited_events(c).last().comment

    # The number of another visit of the store: a field error, nothing changed.
    taken = client.post(f"{url}?prefix={prefix}", visit_form(prefix, repair_order="RO-2"))
    assert taken.status_code == 422
    assert "repair_order" in taken.context["warranty_bound"][prefix].errors
    assert RepairVisit.objects.get(pk=visit.pk).repair_order == "RO-1A"
    assert RepairVisit.objects.count() == 2

    # The "new" form with a recorded number: a field error, never a second visit or an overwrite.
    again = client.post(f"{url}?prefix=new", visit_form("new", repair_order="RO-2", mileage_km=1))
    assert again.status_code == 422
    assert "repair_order" in again.context["warranty_bound"]["new"].errors
    assert RepairVisit.objects.count() == 2
    assert RepairVisit.objects.get(pk=other.pk).mileage_km == 5_000


def test_the_edit_form_cannot_reach_another_vehicles_visit(shop, other_shop, frozen):
    c = vehicle_complaint(shop)
    other = vehicle_complaint(shop, vin=OTHER_VIN, plate="京B54321")
    theirs = record(shop, other, "RO-X", D(2026, 6, 1))
    prefix = f"v{theirs.pk}"
    url = reverse("warranty:visit-save", args=[c.pk]) + f"?prefix={prefix}"
    response = client_for(shop.advisor).post(url, visit_form(prefix, repair_order="RO-Y"))
    assert response.status_code == 404
    assert RepairVisit.objects.get(pk=theirs.pk).repair_order == "RO-X"
    huge = reverse("warranty:visit-save", args=[c.pk]) + "?prefix=v99999999999999999999"
    assert client_for(shop.advisor).post(huge, {}).status_code == 404


# --- 4. POST of visits is create only; PUT replaces one visit -----------------------------------


VISIT = {
    "repair_order": "RO-1",
    "date_in": "2026-06-01",
    "date_out": "2026-06-03",
    "mileage_km": 11_000,
    "system": "gearbox",
    "fault_description": "换挡顿挫",
    "is_complaint_fault": True,
}


def test_posting_a_recorded_repair_order_changes_nothing(shop, frozen):
    c = vehicle_complaint(shop)
    client = client_for(shop.manager)
    url = f"/api/warranty/complaints/{c.pk}/visits"
    assert client.post(url, VISIT, content_type="application/json").status_code == 201
    visit = RepairVisit.objects.get()
    events = edited_events(c).count()

    bare = client.post(
        url, {"repair_order": "RO-1", "date_in": "2026-06-01"}, content_type="application/json"
    )
    assert bare.status_code == 409
    body = bare.json()
    assert [e["field"] for e in body["errors"]] == ["repair_order"]
    assert f"PUT /api/warranty/complaints/{c.pk}/visits/{visit.pk}" in body["detail"]
    visit.refresh_from_db()
    assert (visit.date_out, visit.mileage_km, visit.system, visit.fault_description) == (
        D(2026, 6, 3),
        11_000,
        "gearbox",
        "换挡顿挫",
    )
    assert list(visit.fault_of.all()) == [c]
    assert edited_events(c).count() == events


def test_put_replaces_the_visit_and_an_unchanged_put_writes_nothing(shop, other_shop, frozen):
    c = vehicle_complaint(shop)
    visit = record(shop, c, "RO-1", D(2026, 6, 1), D(2026, 6, 3), is_complaint_fault=True)
    record(shop, c, "RO-2", D(2026, 6, 5))
    client = client_for(shop.manager)
    url = f"/api/warranty/complaints/{c.pk}/visits/{visit.pk}"
    events = edited_events(c).count()

    put = client.put(
        url,
        {"repair_order": "RO-1B", "date_in": "2026-06-01", "mileage_km": 9_000},
        content_type="application/json",
    )
    assert put.status_code == 200
    visit.refresh_from_db()
    # Full replacement: what was left out takes its default.
    assert (visit.repair_order, visit.date_out, visit.mileage_km, visit.system) == (
        "RO-1B",
        None,
        9_000,
        "",
    )
    assert not visit.fault_of.exists()
    assert edited_events(c).count() == events + 1

    same = client.put(
        url,
        {"repair_order": "RO-1B", "date_in": "2026-06-01", "mileage_km": 9_000},
        content_type="application/json",
    )
    assert same.status_code == 200 and edited_events(c).count() == events + 1

    taken = client.put(
        url, {"repair_order": "RO-2", "date_in": "2026-06-01"}, content_type="application/json"
    )
    assert taken.status_code == 422
    assert [e["field"] for e in taken.json()["errors"]] == ["repair_order"]
    assert RepairVisit.objects.count() == 2

    # Another store: 404; another vehicle's visit through this complaint: 404.
    payload = {"repair_order": "RO-Z", "date_in": "2026-06-01"}
    outsider = client_for(other_shop.director)
    assert outsider.put(url, payload, content_type="application/json").status_code == 404
    theirs = record(
        shop, vehicle_complaint(shop, vin=OTHER_VIN, plate="京B54321"), "RO-X", D(2026, 6, 1)
    )
    wrong = f"/api/warranty/complaints/{c.pk}/visits/{theirs.pk}"
    assert client.put(wrong, payload, content_type="application/json").status_code == 404
    assert RepairVisit.objects.get(pk=theirs.pk).repair_order == "RO-X"


def test_put_refuses_the_staff_complained_about(shop, frozen):
    c = vehicle_complaint(shop, involved_staff=[shop.advisor.pk])
    visit = record(shop, c, "RO-1", D(2026, 6, 1), actor=shop.specialist)
    response = client_for(shop.advisor).put(
        f"/api/warranty/complaints/{c.pk}/visits/{visit.pk}",
        {"repair_order": "RO-9", "date_in": "2026-06-01"},
        content_type="application/json",
    )
    assert response.status_code == 403 and response.json()["code"] == "conflict_of_interest"
    assert RepairVisit.objects.get().repair_order == "RO-1"


def test_the_vehicle_put_is_documented_as_a_full_replacement(db):
    from complaintdesk.api import api

    schema = api.get_openapi_schema()
    put = next(
        ops["put"]
        for path, ops in schema["paths"].items()
        if path.endswith("/vehicle") and "put" in ops
    )
    assert "Full" in put["description"] and "cleared" in put["description"]
    visit_put = next(
        ops["put"] for path, ops in schema["paths"].items() if path.endswith("{visit_id}")
    )
    assert "Full replacement" in visit_put["description"]


# --- 5. the DMS import: one plate, two VINs -----------------------------------------------------


PLATE = "沪C55555"


def two_vins_csv() -> bytes:
    rows = [
        f"P1,{VIN},{PLATE},2026-06-01,2026-06-02,1000",
        f"P2,{OTHER_VIN},{PLATE},2026-06-03,2026-06-04,2000",
    ]
    header = "工单号,车架号,车牌号,进厂日期,出厂日期,里程"
    return ("\n".join([header, *rows]) + "\n").encode("utf-8")


def test_a_plate_with_two_vins_in_one_file_is_two_cars_and_reimport_changes_nothing(shop, frozen):
    known = Vehicle.objects.create(
        store=shop.store, plate=PLATE, plate_normalized=normalize_plate(PLATE)
    )
    report = import_repairs_file("dms.csv", two_vins_csv(), store=shop.store, actor=shop.advisor)
    assert report.ok, report.errors
    assert (report.created, report.vehicles_created) == (2, 1)
    known.refresh_from_db()
    assert known.vin == VIN
    assert RepairVisit.objects.get(repair_order="P1").vehicle_id == known.pk
    second = RepairVisit.objects.get(repair_order="P2").vehicle
    assert second.pk != known.pk and (second.vin, second.plate) == (OTHER_VIN, PLATE)

    again = import_repairs_file("dms.csv", two_vins_csv(), store=shop.store, actor=shop.advisor)
    assert again.ok, again.errors
    assert (again.created, again.updated, again.unchanged, again.vehicles_created) == (0, 0, 2, 0)
    assert Vehicle.objects.filter(store=shop.store).count() == 2


# --- 6. an import that links visits to a complaint writes one timeline entry --------------------


def test_an_import_linking_visits_writes_one_event_and_a_reimport_none(shop, frozen):
    c = vehicle_complaint(shop)
    header = "工单号,车架号,进厂日期,出厂日期,里程,是否本投诉故障"
    rows = [f"F1,{VIN},2026-06-01,2026-06-02,1000,是", f"F2,{VIN},2026-06-05,2026-06-06,2000,是"]
    data = ("\n".join([header, *rows]) + "\n").encode("utf-8")
    before = edited_events(c).count()
    report = import_repairs_file("dms.csv", data, store=shop.store, actor=shop.advisor, complaint=c)
    assert report.ok, report.errors
    assert edited_events(c).count() == before + 1
    event = edited_events(c).last()
    assert event.actor == shop.advisor
    assert (event.data["created"], event.data["linked"], event.data["updated"]) == (2, 2, 0)
    assert "dms.csv" in event.comment and "2" in event.comment
    assert set(c.repair_visits.values_list("repair_order", flat=True)) == {"F1", "F2"}

    import_repairs_file("dms.csv", data, store=shop.store, actor=shop.advisor, complaint=c)
    assert edited_events(c).count() == before + 1

    changed = data.replace(b"2026-06-06,2000", b"2026-06-07,2000")
    import_repairs_file("dms.csv", changed, store=shop.store, actor=shop.advisor, complaint=c)
    assert edited_events(c).count() == before + 2
    assert (edited_events(c).last().data["updated"], edited_events(c).last().data["linked"]) == (
        1,
        0,
    )


def test_reposting_an_unchanged_visit_on_the_page_writes_no_event(shop, frozen):
    c = vehicle_complaint(shop)
    client = client_for(shop.advisor)
    url = reverse("warranty:visit-save", args=[c.pk])
    assert client.post(f"{url}?prefix=new", visit_form("new")).status_code == 302
    visit = RepairVisit.objects.get()
    events = edited_events(c).count()
    prefix = f"v{visit.pk}"
    assert client.post(f"{url}?prefix={prefix}", visit_form(prefix)).status_code == 302
    assert edited_events(c).count() == events
    client.post(f"{url}?prefix={prefix}", visit_form(prefix, mileage_km="11500"))
    assert edited_events(c).count() == events + 1
