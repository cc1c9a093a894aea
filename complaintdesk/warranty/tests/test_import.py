"""Importing repair orders from the DMS (CSV / XLSX, Chinese headers): good files, bad files with
a row/column report and nothing stored, re-imports, the command."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from complaintdesk.complaints.importing import ImportRefused, read_table
from complaintdesk.complaints.models import Vehicle
from complaintdesk.core.errors import NotPermitted
from complaintdesk.warranty import selectors
from complaintdesk.warranty.choices import ConditionCode, Standing
from complaintdesk.warranty.importing import import_repairs, import_repairs_file
from complaintdesk.warranty.models import LegalRiskFlag, RepairVisit
from complaintdesk.warranty.tests.helpers import NOW, OTHER_VIN, VIN, set_facts, vehicle_complaint

D = dt.date
HEADER = "工单号,车架号,车牌号,进厂日期,出厂日期,进厂里程,故障描述,更换配件,系统,维修类型,严重安全性能故障,是否本投诉故障,投诉单号"


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def csv_bytes(rows, header=HEADER, encoding="gbk"):
    return ("\r\n".join([header, *rows]) + "\r\n").encode(encoding)


def good_rows(number):
    return [
        # In 09:00 on 1 March, out 17:00 on 3 March: 3 repair days.
        f"WX2603001,{VIN},京A12345,2026-03-01 09:00,2026-03-03 17:00,8000,变速箱换挡顿挫,阀体、变速箱油,变速器,保修,否,是,{number}",
        f"WX2604007,{VIN},京A12345,2026/4/10,2026/4/10,9100,首保,机油、机滤,,保养,否,,",
        f"WX2605012,{VIN},京A12345,2026年5月20日,,10200,变速箱异响复查,,变速箱,索赔,否,是,{number}",
        f"WX2605013,{OTHER_VIN},粤B00001,2026-05-21,2026-05-22,300,刹车失灵,制动总泵,制动系统,三包,是,,",
    ]


def test_csv_in_gbk_with_chinese_headers(shop, frozen):
    c = vehicle_complaint(shop)
    set_facts(shop, c)
    vehicles = Vehicle.objects.count()
    report = import_repairs_file(
        "dms.csv", csv_bytes(good_rows(c.number)), store=shop.store, actor=shop.advisor
    )
    assert report.ok, report.errors
    assert (report.rows_total, report.created, report.updated, report.vehicles_created) == (
        4,
        4,
        0,
        1,
    )
    assert report.encoding == "gb18030"
    assert Vehicle.objects.count() == vehicles + 1
    first = RepairVisit.objects.get(repair_order="WX2603001")
    assert (first.date_in, first.date_out, first.mileage_km, first.system, first.kind) == (
        D(2026, 3, 1),
        D(2026, 3, 3),
        8_000,
        "gearbox",
        "quality",
    )
    assert first.parts == ["阀体", "变速箱油"] and first.source == "import"
    assert first.vehicle_id == c.vehicle_id
    assert RepairVisit.objects.get(repair_order="WX2604007").kind == "maintenance"
    assert RepairVisit.objects.get(repair_order="WX2605012").date_out is None
    new = RepairVisit.objects.get(repair_order="WX2605013")
    assert (new.vehicle.vin, new.vehicle.plate, new.serious_safety, new.system) == (
        OTHER_VIN,
        "粤B00001",
        True,
        "brakes",
    )
    assert set(c.repair_visits.values_list("repair_order", flat=True)) == {"WX2603001", "WX2605012"}
    c.refresh_from_db()
    result = selectors.evaluate_complaint(c)
    # 3 days (1–3 March) + the open repair since 20 May up to 15 June (27 days) = 30;
    # the maintenance visit does not count.
    assert result.condition(ConditionCode.REPAIR_DAYS).count == 30
    assert result.same_problem_repairs == 2

    # The same file again changes nothing.
    again = import_repairs_file(
        "dms.csv", csv_bytes(good_rows(c.number)), store=shop.store, actor=shop.advisor
    )
    assert (again.created, again.updated, again.unchanged, again.vehicles_created) == (0, 0, 4, 0)
    assert RepairVisit.objects.count() == 4
    # The DMS closes the open repair: that row updates the visit.
    rows = good_rows(c.number)
    rows[2] = rows[2].replace("2026年5月20日,,", "2026年5月20日,2026-06-01,")
    later = import_repairs_file("dms.csv", csv_bytes(rows), store=shop.store, actor=shop.advisor)
    assert (later.created, later.updated, later.unchanged) == (0, 1, 3)
    assert RepairVisit.objects.get(repair_order="WX2605012").date_out == D(2026, 6, 1)


def test_xlsx_with_chinese_headers_and_date_cells(shop, frozen):
    c = vehicle_complaint(shop)
    set_facts(shop, c)
    wb = Workbook()
    ws = wb.active
    ws.append(
        [
            "维修单号",
            "VIN",
            "进厂日期",
            "出厂日期",
            "里程",
            "故障描述",
            "更换配件",
            "总成",
            "更换总成",
            "是否本投诉故障",
        ]
    )
    for n in range(5):
        day = dt.datetime(2026, 1, 5) + dt.timedelta(days=20 * n)  # noqa: DTZ001 (a cell)
        ws.append(
            [
                f"RO{n}",
                VIN,
                day,
                day + dt.timedelta(days=1),
                3_000 + 500 * n,
                "顿挫",
                "",
                "变速器",
                "否",
                "是",
            ]
        )
    # An Excel serial date (46101 = 2026-03-20, counted from 1899-12-30) written as a number.
    ws.append(["RO9", VIN, 46101, 46101, 4_200, "保养", "", "", "", ""])
    buffer = io.BytesIO()
    wb.save(buffer)
    report = import_repairs_file(
        "dms.xlsx", buffer.getvalue(), store=shop.store, actor=shop.specialist, complaint=c
    )
    assert report.ok, report.errors
    assert report.created == 6
    assert RepairVisit.objects.get(repair_order="RO9").date_in == D(2026, 3, 20)
    # Five repairs of this complaint's fault in the 三包 period: met, flagged and told.
    assert report.flags_raised == 1
    assert LegalRiskFlag.objects.get(complaint=c).condition == ConditionCode.SAME_PROBLEM_REPAIRS
    c.refresh_from_db()
    assert (
        selectors.evaluate_complaint(c).condition(ConditionCode.SAME_PROBLEM_REPAIRS).standing
        == Standing.MET
    )


def test_a_bad_file_reports_rows_and_columns_and_stores_nothing(shop, frozen):
    c = vehicle_complaint(shop)
    existing = vehicle_complaint(shop, vin=OTHER_VIN, plate="京B54321")
    import_repairs_file(
        "first.csv",
        csv_bytes([f"OLD1,{OTHER_VIN},京B54321,2026-01-01,2026-01-02,100,x,,,,,,"]),
        store=shop.store,
        actor=shop.advisor,
    )
    vehicles, visits = Vehicle.objects.count(), RepairVisit.objects.count()
    rows = [
        f"R1,{VIN},京A12345,2026-03-01,2026-03-03,8000,ok,,变速器,保修,否,,",  # a good row
        "R2,NOTAVIN,京A12345,2026-03-05,2026-03-06,8100,x,,,,,,",
        f"R3,{VIN},京A12345,2026-03-09,2026-03-07,8200,x,,,,,,",
        f"R4,{VIN},京A12345,2026-13-01,,8300,x,,飞行器,保修,也许,,",
        f"R1,{VIN},京A12345,2026-03-10,2026-03-10,8400,x,,,,,,",
        f"OLD1,{VIN},京A12345,2026-03-11,2026-03-11,8500,x,,,,,,",
        f"R6,{VIN},京A12345,2026-07-01,,8600,x,,,,,是,",
        f"R7,{VIN},京A12345,2026-03-12,2026-03-12,abc,x,,,,,,FK-000000-0000",
    ]
    report = import_repairs_file("bad.csv", csv_bytes(rows), store=shop.store, actor=shop.advisor)
    assert not report.ok
    found = {(e.row, e.column) for e in report.errors}
    assert found == {
        (3, "车架号"),
        (4, "出厂日期"),
        (5, "进厂日期"),
        (5, "系统"),
        (5, "严重安全性能故障"),
        (6, "工单号"),  # R1 again
        (7, "工单号"),  # OLD1 belongs to another vehicle
        (8, "进厂日期"),  # in the future
        (8, "是否本投诉故障"),  # which complaint?
        (9, "进厂里程"),
        (9, "投诉单号"),
    }
    assert report.created == 0
    assert (Vehicle.objects.count(), RepairVisit.objects.count()) == (vehicles, visits)
    assert not c.repair_visits.exists() and existing.pk


def test_unreadable_files_are_refused(shop, frozen):
    with pytest.raises(ImportRefused):
        import_repairs_file("x.pdf", b"%PDF", store=shop.store, actor=shop.advisor)
    with pytest.raises(ImportRefused) as exc:
        import_repairs_file(
            "x.csv",
            "车架号,进厂日期\r\nx,2026-01-01\r\n".encode(),
            store=shop.store,
            actor=shop.advisor,
        )
    assert "repair_order" in str(exc.value.message)


def test_dry_run_and_who_may_import(shop, other_shop, frozen):
    c = vehicle_complaint(shop, involved_staff=[shop.advisor.pk])
    table = read_table("dms.csv", csv_bytes(good_rows(c.number)))
    dry = import_repairs(
        table, store=shop.store, actor=shop.specialist, file_name="dms.csv", dry_run=True
    )
    assert dry.ok and (dry.created, dry.vehicles_created) == (4, 1)
    assert not RepairVisit.objects.exists()
    with pytest.raises(NotPermitted):
        import_repairs(table, store=shop.store, actor=shop.reception, file_name="dms.csv")
    with pytest.raises(NotPermitted):
        import_repairs(table, store=shop.store, actor=other_shop.advisor, file_name="dms.csv")
    # The advisor complained about may not import the visits of that vehicle.
    report = import_repairs(table, store=shop.store, actor=shop.advisor, file_name="dms.csv")
    assert not report.ok
    assert {(e.row, e.column) for e in report.errors} >= {
        (2, "车架号"),
        (3, "车架号"),
        (4, "车架号"),
    }
    assert not RepairVisit.objects.exists()


def test_the_command(shop, frozen, tmp_path):
    c = vehicle_complaint(shop)
    path = tmp_path / "dms.csv"
    path.write_bytes(csv_bytes(good_rows(c.number)))
    out = io.StringIO()
    call_command(
        "warranty", "import-repairs", str(path), "--store", shop.store.code, "--dry-run", stdout=out
    )
    assert "would create 4" in out.getvalue()
    assert not RepairVisit.objects.exists()
    call_command("warranty", "import-repairs", str(path), "--store", shop.store.code, stdout=out)
    assert RepairVisit.objects.count() == 4
    assert RepairVisit.objects.first().created_by == shop.advisor
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([f"Z1,{VIN},,2026-03-09,2026-03-07,1,x,,,,,,"]))
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("warranty", "import-repairs", str(bad), "--store", shop.store.code, stdout=out)
    assert "出厂日期" in out.getvalue()
    out = io.StringIO()
    call_command("warranty", "check", stdout=out)
    assert "0 legal-risk flags raised" in out.getvalue()
