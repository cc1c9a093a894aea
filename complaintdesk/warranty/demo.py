"""The demo's three-guarantees case: a car whose gearbox has been repaired again and again.

Written for the project (the VIN, plate, names and repair orders are invented). The real
complaints carry no VIN or plate, so without this the legal-risk panel would have nothing to show.
Five repairs of the same fault (more than 4), 33 repair days (more than 30) and the same part
replaced twice: the complaint is flagged and the CS director and GM are told. Running the demo
again finds the complaint and changes nothing.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from complaintdesk.complaints import services as complaint_services
from complaintdesk.complaints import workflow
from complaintdesk.complaints.choices import Nature
from complaintdesk.complaints.models import Complaint
from complaintdesk.warranty import selectors, services
from complaintdesk.warranty.choices import System

SOURCE = "complaintdesk demo"
SOURCE_REF = "demo-sanbao-gearbox"

# (repair order, days before today in, days before today out or None while in the workshop,
#  km, parts replaced)
VISITS = [
    ("RO-DEMO-0101", 330, 327, 6200, "阀体"),
    ("RO-DEMO-0102", 270, 266, 9800, ""),
    ("RO-DEMO-0103", 200, 195, 13400, "变速箱控制单元"),
    ("RO-DEMO-0104", 120, 113, 17900, "阀体"),
    ("RO-DEMO-0105", 9, None, 23850, ""),
]


def showcase(staff, now: dt.datetime | None = None) -> Complaint:
    """Create (once) the demo's gearbox complaint with its vehicle history."""
    existing = Complaint.objects.filter(
        store=staff.store, source=SOURCE, source_ref=SOURCE_REF
    ).first()
    if existing is not None:
        return existing
    now = now or timezone.now()
    today = selectors.store_today(staff.store, now)
    complaint = complaint_services.complaint_create(
        actor=staff.reception,
        store=staff.store,
        channel="onsite",
        received_at=now - dt.timedelta(hours=2),
        summary="变速箱低速换挡顿挫，第五次进厂仍未修好",
        description=(
            "客户称车辆提车一年多，变速箱在低速换挡时明显顿挫，已在本店维修四次，"
            "这是第五次进厂，至今已在店九天。客户要求按三包规定换车。"
        ),
        customer_name="林海",
        customer_phone="139 0000 0199",
        plate="沪A8R306",
        vin="LBV5S3108NSH40217",
        vehicle_brand="宝马",
        vehicle_model="325Li M运动套装",
        customer_demand="按三包规定更换新车",
        repair_order="RO-DEMO-0105",
        source=SOURCE,
        source_ref=SOURCE_REF,
        now=now,
    )
    workflow.perform("accept", complaint.pk, actor=staff.manager, nature=Nature.REPEAT_REPAIR)
    services.vehicle_facts_set(
        actor=staff.manager,
        complaint_id=complaint.pk,
        invoice_date=today - dt.timedelta(days=400),
        delivery_date=None,
        mileage_km=23850,
        mileage_read_on=today,
        now=now,
    )
    for ro, days_in, days_out, km, parts in VISITS:
        services.repair_visit_record(
            actor=staff.manager,
            complaint_id=complaint.pk,
            repair_order=ro,
            date_in=today - dt.timedelta(days=days_in),
            date_out=today - dt.timedelta(days=days_out) if days_out is not None else None,
            mileage_km=km,
            system=System.GEARBOX,
            fault_description="低速换挡顿挫",
            parts_replaced=parts,
            is_complaint_fault=True,
            now=now,
        )
    complaint.refresh_from_db()
    return complaint
