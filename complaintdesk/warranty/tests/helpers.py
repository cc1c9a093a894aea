"""Builders shared by the three-guarantees tests."""

import datetime as dt
import zoneinfo

from django.test import Client
from django.utils import timezone

from complaintdesk.complaints.tests.factories import new_complaint
from complaintdesk.warranty import services

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 6, 15, 10, 0, tzinfo=SHANGHAI)
VIN = "LSVAB2BR5KN123456"
OTHER_VIN = "LFV3A23C8K3000001"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def vehicle_complaint(shop, *, vin=VIN, plate="京A12345", **fields):
    return new_complaint(
        shop,
        vin=vin,
        plate=plate,
        vehicle_brand="宝马",
        vehicle_model="X3",
        received_at=timezone.now() - dt.timedelta(minutes=5),
        summary="变速箱顿挫多次维修未好",
        description="客户反映变速箱换挡顿挫，已多次进厂维修仍未解决。",
        **fields,
    )


def set_facts(shop, complaint, *, delivery=dt.date(2025, 9, 1), km=12_000, read_on=None):
    return services.vehicle_facts_set(
        actor=shop.specialist,
        complaint_id=complaint.pk,
        invoice_date=delivery,
        delivery_date=delivery,
        mileage_km=km,
        mileage_read_on=read_on or timezone.localdate(timezone.now(), SHANGHAI),
    )


def record(shop, complaint, ro, date_in, date_out="same", *, actor=None, **kw):
    if date_out == "same":
        date_out = date_in
    kw.setdefault("mileage_km", 5_000)
    visit, _created = services.repair_visit_record(
        actor=actor or shop.advisor,
        complaint_id=complaint.pk,
        repair_order=ro,
        date_in=date_in,
        date_out=date_out,
        **kw,
    )
    return visit
