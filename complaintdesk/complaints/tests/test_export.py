"""The Excel export: customer text never becomes a formula; times are the store's local time."""

import datetime as dt
import io

import openpyxl
import pytest
from django.utils import timezone, translation

from complaintdesk.complaints import services
from complaintdesk.complaints.exporting import export_complaints_xlsx
from complaintdesk.complaints.models import Complaint

HEADERS = [
    "Form number",
    "Store",
    "Status",
    "Channel",
    "Nature",
    "Severity",
    "Tier",
    "Received at",
    "Summary",
    "What happened",
    "Plate",
    "Vehicle model",
    "Customer name",
    "Department concerned",
    "Current step",
    "Due at",
    "Outcome",
]


@pytest.fixture(autouse=True)
def fast_hasher_english(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with translation.override("en"):
        yield


def read_back(data: bytes):
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    rows = list(ws.iter_rows())
    return [c.value for c in rows[0]], rows[1:]


def create(shop, **fields):
    values = {
        "channel": "onsite",
        # 2025-12-08 01:30 UTC = 09:30 in the store's Asia/Shanghai.
        "received_at": dt.datetime(2025, 12, 8, 1, 30, tzinfo=dt.UTC),
        "summary": "保养后刹车异响",
        "description": "客户反映保养后刹车异响",
    }
    values.update(fields)
    return services.complaint_create(
        actor=shop.reception,
        store=shop.store,
        now=dt.datetime(2025, 12, 8, 2, 0, tzinfo=dt.UTC),
        **values,
    )


def test_formula_looking_text_is_written_as_text(shop):
    create(
        shop,
        summary='=HYPERLINK("http://evil.example","click")',
        description="+cmd|' /C calc'!A0",
        customer_name="@SUM(1+1)",
        vehicle_model="-2+3",
    )

    _headers, rows = read_back(export_complaints_xlsx(Complaint.objects.visible_to(shop.director)))

    (row,) = rows
    cells = {HEADERS[i]: cell for i, cell in enumerate(row)}
    for name, text in [
        ("Summary", '=HYPERLINK("http://evil.example","click")'),
        ("What happened", "+cmd|' /C calc'!A0"),
        ("Customer name", "@SUM(1+1)"),
        ("Vehicle model", "-2+3"),
    ]:
        assert cells[name].value == text
        assert cells[name].data_type == "s"  # a string, not 'f' (formula)
        assert cells[name].quotePrefix is True  # stays text even when edited in Excel


def test_columns_labels_and_local_times(shop):
    complaint = create(
        shop, plate="京A12345", vehicle_model="530Li", customer_name="张伟", nature="quality"
    )

    headers, rows = read_back(export_complaints_xlsx(Complaint.objects.visible_to(shop.director)))

    assert headers == HEADERS
    (row,) = rows
    values = {HEADERS[i]: cell.value for i, cell in enumerate(row)}
    received = row[HEADERS.index("Received at")]
    assert values["Received at"] == dt.datetime(2025, 12, 8, 9, 30)  # naive, Shanghai wall time
    assert received.number_format == "yyyy-mm-dd hh:mm"
    step_due = timezone.localtime(complaint.current_step.due_at, shop.store.tz)
    assert values["Due at"] == step_due.replace(tzinfo=None)
    assert values == {
        **values,
        "Form number": complaint.number,
        "Store": "Store a",
        "Status": "Received, to register",
        "Channel": "On site",
        "Nature": "Quality problem",
        "Severity": "Ordinary",
        "Tier": 1,
        "Summary": "保养后刹车异响",
        "What happened": "客户反映保养后刹车异响",
        "Plate": "京A12345",
        "Vehicle model": "530Li",
        "Customer name": "张伟",
        "Department concerned": None,
        "Current step": "Report and register the form",
        "Outcome": None,
    }


def test_only_the_given_queryset_is_exported(shop, other_shop):
    mine = create(shop)
    services.complaint_create(
        actor=other_shop.reception,
        store=other_shop.store,
        channel="phone",
        received_at=timezone.now(),
        summary="other store",
        description="other store",
    )

    _headers, rows = read_back(export_complaints_xlsx(Complaint.objects.visible_to(shop.director)))

    assert [row[0].value for row in rows] == [mine.number]


def test_personal_data_can_be_masked(shop):
    create(shop, plate="京A12345", customer_name="张伟")

    _headers, rows = read_back(
        export_complaints_xlsx(Complaint.objects.visible_to(shop.director), mask_personal=True)
    )

    (row,) = rows
    assert row[HEADERS.index("Plate")].value == "京A***45"
    assert row[HEADERS.index("Customer name")].value == "张*"


def test_empty_export_has_the_header_row(shop):
    headers, rows = read_back(export_complaints_xlsx(Complaint.objects.none()))
    assert headers == HEADERS and rows == []
