"""`complaintdesk import`: encodings, XLSX dates and merged cells, idempotency, all-or-nothing."""

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections
from django.utils import translation

from complaintdesk.complaints.choices import Channel, Nature, Severity, Status
from complaintdesk.complaints.importing import (
    ImportRefused,
    channel_for,
    import_file,
    read_table,
)
from complaintdesk.complaints.models import Complaint, FormCounter, ImportRun
from complaintdesk.testing import make_store_with_staff

UTC = dt.UTC


@pytest.fixture(autouse=True)
def fast_hasher_english(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with translation.override("en"):  # the messages asserted below are the English msgids
        yield


def csv_bytes(rows, encoding="utf-8") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


def run_import(path, *args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


HEADER = [
    "received_at",
    "channel",
    "summary",
    "description",
    "plate",
    "customer_name",
    "customer_phone",
    "vehicle_model",
    "source_id",
]
ROW_1 = [
    "2025-12-08 09:30",
    "现场",
    "保养后刹车异响",
    "上周保养后刹车有异响",
    "京A12345",
    "张伟",
    "138-0013-8000",
    "530Li",
    "X-1",
]
ROW_2 = ["2025-12-07", "phone", "Rude advisor", "The advisor hung up.", "", "", "", "", "X-2"]


def test_utf8_csv_is_imported_with_every_field(shop, tmp_path):
    path = tmp_path / "dms-export.csv"
    path.write_bytes(csv_bytes([HEADER, ROW_1, ROW_2]))

    out, err = run_import(path)

    assert "created 2, skipped 0" in out
    assert "importing 2/2 100%" in err
    first = Complaint.objects.get(source_ref="X-1")
    # 09:30 in Asia/Shanghai (UTC+8) is 01:30 UTC.
    assert first.received_at == dt.datetime(2025, 12, 8, 1, 30, tzinfo=UTC)
    assert first.channel == Channel.ONSITE
    assert first.summary == "保养后刹车异响"
    assert first.description == "上周保养后刹车有异响"
    assert first.vehicle.plate == "京A12345"
    assert first.vehicle.model == "530Li"
    assert first.customer.name == "张伟"
    assert first.customer.phone_normalized == "13800138000"
    assert first.source == "dms-export"  # no `source` column: the file's name
    assert first.status == Status.RECEIVED
    assert first.received_by == shop.specialist  # registered by the CS center
    assert first.store == shop.store
    second = Complaint.objects.get(source_ref="X-2")
    # A date without a time is 00:00 in the store's time zone: 2025-12-06 16:00 UTC.
    assert second.received_at == dt.datetime(2025, 12, 6, 16, 0, tzinfo=UTC)
    assert second.channel == Channel.PHONE
    assert second.vehicle is None and second.customer is None
    run = ImportRun.objects.get()
    assert (run.status, run.rows_total, run.rows_done, run.created, run.skipped) == (
        ImportRun.RunStatus.DONE,
        2,
        2,
        2,
        0,
    )
    assert run.errors == []
    assert len(run.sha256) == 64


def test_bom_never_sticks_to_the_first_header(shop, tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(
        b"\xef\xbb\xbf" + csv_bytes([["日期", "渠道", "摘要"], ["2025-12-01", "电话", "异响"]])
    )

    table = read_table(path.name, path.read_bytes())
    assert table.headers == ["日期", "渠道", "摘要"]
    assert table.encoding == "utf-8"

    run_import(path)
    complaint = Complaint.objects.get()
    assert complaint.summary == "异响"
    assert complaint.description == "异响"  # no description column: the summary is the text
    assert complaint.channel == Channel.PHONE


def test_gbk_file_with_chinese_headers(shop, tmp_path):
    rows = [
        [
            "投诉日期",
            "渠道",
            "问题简述",
            "投诉内容",
            "车牌号",
            "客户姓名",
            "联系电话",
            "品牌",
            "车型",
        ],
        [
            "2025年12月3日 15:20",
            "信函",
            "配件价格过高",
            "大灯报价8600元，客户认为偏高",
            "沪A3K921",
            "李娜",
            "13900000001",
            "宝马",
            "X3",
        ],
    ]
    path = tmp_path / "gbk.csv"
    path.write_bytes(csv_bytes(rows, encoding="gbk"))

    out, _err = run_import(path)

    assert "(gb18030, 1 rows)" in out
    complaint = Complaint.objects.get()
    assert complaint.summary == "配件价格过高"
    assert complaint.description == "大灯报价8600元，客户认为偏高"
    assert complaint.channel == Channel.LETTER
    assert complaint.received_at == dt.datetime(2025, 12, 3, 7, 20, tzinfo=UTC)
    assert (complaint.vehicle.brand, complaint.vehicle.model) == ("宝马", "X3")
    assert complaint.customer.name == "李娜"
    # No id column: the reference is a hash of the row, so a re-import is recognised.
    assert complaint.source_ref.startswith("sha256:")
    out, _err = run_import(path)
    assert "created 0, skipped 1" in out
    assert Complaint.objects.count() == 1


def test_xlsx_date_cells_serial_numbers_and_text_dates(shop, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["投诉时间", "渠道", "摘要", "投诉编号"])
    ws.append([dt.datetime(2025, 12, 8, 14, 30), "电话", "date-time cell", 101])
    ws.append([46000, "电话", "serial number", 102])  # Excel day 46000 = 2025-12-09
    ws.append([dt.date(2025, 11, 30), "电话", "date cell", 103])
    ws.append(["2025/12/01 08:05", "电话", "text date", 104])
    ws.append([None, None, None, None])  # an empty row is skipped, not an error
    path = tmp_path / "book.xlsx"
    wb.save(path)

    out, _err = run_import(path)

    assert "created 4" in out
    received = dict(Complaint.objects.values_list("source_ref", "received_at"))
    assert received == {
        "101": dt.datetime(2025, 12, 8, 6, 30, tzinfo=UTC),
        "102": dt.datetime(2025, 12, 8, 16, 0, tzinfo=UTC),
        "103": dt.datetime(2025, 11, 29, 16, 0, tzinfo=UTC),
        "104": dt.datetime(2025, 12, 1, 0, 5, tzinfo=UTC),
    }


def test_xlsx_separate_time_column(shop, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["日期", "时间", "渠道", "摘要"])
    ws.append([dt.date(2025, 12, 2), dt.time(10, 15), "现场", "with a time cell"])
    ws.append([dt.date(2025, 12, 2), 0.75, "现场", "with an Excel time fraction"])
    path = tmp_path / "times.xlsx"
    wb.save(path)

    run_import(path)

    assert sorted(Complaint.objects.values_list("received_at", flat=True)) == [
        dt.datetime(2025, 12, 2, 2, 15, tzinfo=UTC),
        dt.datetime(2025, 12, 2, 10, 0, tzinfo=UTC),  # 0.75 of a day = 18:00 local
    ]


def test_xlsx_merged_cells_are_expanded(shop, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["日期", "渠道", "摘要"])
    ws.append([dt.date(2025, 12, 1), "电话", "first"])
    ws.append([None, None, "second"])
    ws.append([None, "信函", "third"])
    ws.merge_cells("A2:A4")  # one date for three complaints
    ws.merge_cells("B2:B3")
    path = tmp_path / "merged.xlsx"
    wb.save(path)

    out, _err = run_import(path)

    assert "merged cells A2:A4" in out and "merged cells B2:B3" in out
    rows = {c.summary: (c.received_at, c.channel) for c in Complaint.objects.all()}
    day = dt.datetime(2025, 11, 30, 16, 0, tzinfo=UTC)
    assert rows == {
        "first": (day, Channel.PHONE),
        "second": (day, Channel.PHONE),
        "third": (day, Channel.LETTER),
    }


def test_xlsx_merged_header_is_refused_naming_the_range(shop, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["日期", None, "渠道", "摘要"])
    ws.append([dt.date(2025, 12, 1), "x", "电话", "first"])
    ws.merge_cells("A1:B1")
    path = tmp_path / "merged-header.xlsx"
    wb.save(path)

    with pytest.raises(CommandError) as exc:
        run_import(path)

    assert "A1:B1" in str(exc.value)
    assert Complaint.objects.count() == 0
    run = ImportRun.objects.get()
    assert run.status == ImportRun.RunStatus.FAILED
    assert "A1:B1" in run.errors[0]["message"]


def test_reimport_creates_no_duplicates(shop, tmp_path):
    path = tmp_path / "twice.csv"
    path.write_bytes(csv_bytes([HEADER, ROW_1, ROW_2]))
    run_import(path)
    numbers = set(Complaint.objects.values_list("number", flat=True))

    out, _err = run_import(path)

    assert "created 0, skipped 2 already imported" in out
    assert set(Complaint.objects.values_list("number", flat=True)) == numbers
    runs = ImportRun.objects.order_by("started_at")
    assert [(r.created, r.skipped) for r in runs] == [(2, 0), (0, 2)]


def test_same_reference_twice_in_one_file_is_imported_once(shop, tmp_path):
    path = tmp_path / "dup.csv"
    path.write_bytes(csv_bytes([HEADER, ROW_1, ROW_1]))

    out, _err = run_import(path)

    assert "created 1, skipped 1" in out
    assert Complaint.objects.count() == 1


def test_a_file_with_errors_imports_nothing_and_names_row_column_problem(shop, tmp_path):
    rows = [
        ["date", "channel", "title", "text", "车牌号"],
        ["2025-12-01", "现场", "valid row", "ok", "京A12345"],
        ["2025-12-01", "carrier pigeon", "bad channel", "x", ""],
        ["2026-02-30", "电话", "impossible date", "x", ""],
        ["2025-12-01", "电话", "", "empty summary", ""],
        ["2025-12-01", "电话", "bad plate", "x", "ABC"],
        ["2099-01-01", "电话", "in the future", "x", ""],
        ["", "pigeon", "every problem at once", "x", "XYZ"],
    ]
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_bytes(rows))
    before = Complaint.objects.count()

    with pytest.raises(CommandError) as exc:
        out, _err = run_import(path)
    assert exc.value.returncode == 1
    assert "nothing was imported" in str(exc.value)

    assert Complaint.objects.count() == before == 0
    assert not FormCounter.objects.filter(last_number__gt=0).exists()  # numbers given back
    run = ImportRun.objects.get()
    assert run.status == ImportRun.RunStatus.FAILED
    assert [(e["row"], e["column"]) for e in run.errors] == [
        (3, "channel"),
        (4, "date"),
        (5, "title"),
        (6, "车牌号"),
        (7, "date"),
        (8, "date"),
        (8, "channel"),
        (8, "车牌号"),
    ]
    messages = {e["row"]: e["message"] for e in run.errors}
    assert "carrier pigeon" in messages[3]
    assert "2026-02-30" in messages[4]
    assert "ABC" in messages[6]


def test_error_report_is_printed(shop, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_bytes([["date", "channel", "title"], ["2025-12-01", "pigeon", "x"]]))
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import", str(path), stdout=out, stderr=io.StringIO())
    assert "row 2, column “channel”" in out.getvalue()


def test_missing_required_column_is_named(shop, tmp_path):
    path = tmp_path / "nochannel.csv"
    path.write_bytes(csv_bytes([["日期", "摘要"], ["2025-12-01", "异响"]]))

    with pytest.raises(CommandError) as exc:
        run_import(path)

    assert "Missing required column “channel”" in str(exc.value)
    assert "渠道" in str(exc.value)  # the accepted headers are listed
    assert Complaint.objects.count() == 0


def test_two_columns_for_the_same_field_are_refused(shop, tmp_path):
    path = tmp_path / "twodates.csv"
    path.write_bytes(csv_bytes([["date", "投诉日期", "channel", "title"], ["2025-12-01"] * 4]))

    with pytest.raises(ImportRefused) as exc:
        import_file(path, store=shop.store, actor=shop.specialist)
    assert "“date” and “投诉日期”" in str(exc.value.message)


def test_unknown_columns_are_ignored_and_listed(shop, tmp_path):
    path = tmp_path / "extra.csv"
    path.write_bytes(
        csv_bytes(
            [
                ["备注", "date", "channel", "title", "dealer_related"],
                ["内部备注", "2025-12-01", "web", "x", "yes"],
            ]
        )
    )

    report = import_file(path, store=shop.store, actor=shop.specialist)

    assert report.ok and report.created == 1
    assert report.ignored_columns == ["备注", "dealer_related"]


def test_long_title_keeps_200_characters_and_the_whole_text(shop, tmp_path):
    title = "刹" * 250
    path = tmp_path / "long.csv"
    path.write_bytes(
        csv_bytes([["date", "channel", "title", "text"], ["2025-12-01", "web", title, "正文"]])
    )

    import_file(path, store=shop.store, actor=shop.specialist)

    complaint = Complaint.objects.get()
    assert complaint.summary == "刹" * 200
    assert complaint.description == f"{title}\n\n正文"


def test_nature_and_severity_in_codes_and_chinese(shop, tmp_path):
    path = tmp_path / "nature.csv"
    path.write_bytes(
        csv_bytes(
            [
                ["date", "channel", "title", "性质", "严重程度"],
                ["2025-12-01", "web", "a", "服务态度", "重大"],
                ["2025-12-01", "web", "b", "parts_delay", "ordinary"],
            ]
        )
    )

    import_file(path, store=shop.store, actor=shop.specialist)

    rows = dict(Complaint.objects.values_list("summary", "nature"))
    assert rows == {"a": Nature.ATTITUDE, "b": Nature.PARTS_DELAY}
    major = Complaint.objects.get(summary="a")
    assert (major.severity, major.tier) == (Severity.MAJOR, 2)  # SPEC §3: major → tier 2


def test_dry_run_stores_nothing(shop, tmp_path):
    path = tmp_path / "dry.csv"
    path.write_bytes(csv_bytes([HEADER, ROW_1]))

    out, _err = run_import(path, "--dry-run")

    assert "would create 1" in out
    assert Complaint.objects.count() == 0
    assert ImportRun.objects.count() == 0


@pytest.mark.parametrize(
    ("wording", "expected"),
    [
        # Every distinct `channel` value of the real files (shared/data/complaints).
        ("第三方投诉平台 车质网 online complaint (status: 信息审核)", Channel.PLATFORM),
        ("第三方投诉平台 车质网 online complaint (status: 用户评分)", Channel.PLATFORM),
        ("NHTSA hotline (phone) VOQ", Channel.PHONE),
        ("NHTSA web site VOQ", Channel.WEB),
        ("CFPB, submitted via Web", Channel.WEB),
        ("LETT", Channel.LETTER),
        ("consumer letter", Channel.LETTER),
        ("portable safety complaint form (PDF)", Channel.LETTER),
        ("NHTSA ODI complaint (submission channel not in file)", Channel.REGULATOR),
        ("NHTSA vehicle owner questionnaire", Channel.REGULATOR),
        # CFPB's other "Submitted via" values.
        ("Referral", Channel.REGULATOR),
        ("Phone", Channel.PHONE),
        ("Email", Channel.EMAIL),
        ("Postal mail", Channel.LETTER),
        ("Fax", Channel.LETTER),
        # Our codes and the Chinese words of SPEC §2.
        ("onsite", Channel.ONSITE),
        ("现场", Channel.ONSITE),
        ("电话", Channel.PHONE),
        ("电话回访", Channel.CALLBACK),
        ("信函", Channel.LETTER),
        ("12315", Channel.REGULATOR),
        ("行政主管部门转办", Channel.REGULATOR),
        ("e-mail", Channel.EMAIL),
        ("api", Channel.API),
        # Nothing to go on: no silent default.
        ("carrier pigeon", None),
        ("webbing", None),
    ],
)
def test_channel_wording(wording, expected):
    assert channel_for(wording) == expected


def test_store_is_required_when_there_are_several(shop, other_shop, tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(csv_bytes([HEADER, ROW_1]))

    with pytest.raises(CommandError, match="--store"):
        run_import(path)

    run_import(path, "--store", "b")
    assert Complaint.objects.get().store == other_shop.store


def test_user_of_another_store_cannot_import_into_this_one(shop, other_shop, tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(csv_bytes([HEADER, ROW_1]))

    with pytest.raises(CommandError, match="no role|not an active user"):
        run_import(path, "--store", "a", "--as", other_shop.specialist.username)
    with pytest.raises(ImportRefused):
        import_file(path, store=shop.store, actor=other_shop.specialist)
    assert Complaint.objects.count() == 0


def test_as_option_names_the_registering_user(shop, tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(csv_bytes([HEADER, ROW_1]))

    run_import(path, "--as", shop.manager.username)

    assert Complaint.objects.get().received_by == shop.manager


def test_unsupported_file_type(shop, tmp_path):
    path = tmp_path / "x.json"
    path.write_text("{}")
    with pytest.raises(CommandError, match=r"\.csv or \.xlsx"):
        run_import(path)


@pytest.mark.django_db(transaction=True)
def test_import_run_progress_seen_from_another_session(tmp_path):
    """PostgreSQL: the run's progress is written through a second connection, so another session
    sees it while the import's transaction is open. SQLite has one writer: another session sees
    the run (committed before the import began) but its progress only at the end."""
    shop = make_store_with_staff("p")
    rows = [HEADER] + [
        ["2025-12-01", "web", f"complaint {i}", "text", "", "", "", "", f"P-{i}"]
        for i in range(150)
    ]
    path = tmp_path / "progress.csv"
    path.write_bytes(csv_bytes(rows))
    seen = []

    def peek(done, total):
        if done == 120:
            other = connections.create_connection("default")
            try:
                with other.cursor() as cursor:
                    cursor.execute(
                        f"SELECT status, rows_done FROM {ImportRun._meta.db_table}"  # noqa: S608
                    )
                    seen.extend(cursor.fetchall())
            finally:
                other.close()

    import_file(path, store=shop.store, actor=shop.specialist, progress=peek)

    expected_done = 100 if connection.vendor == "postgresql" else 0
    assert seen == [("running", expected_done)]
    run = ImportRun.objects.get()
    assert (run.status, run.rows_done, run.created) == ("done", 150, 150)
