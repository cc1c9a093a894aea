"""A small, hand-counted data set for the report figures (store "a", Asia/Shanghai).

Time is frozen at 2026-12-01 00:10 Shanghai (2026-11-30 16:10 UTC). November (local) holds:

    c1  11-01 07:30 (10-31 UTC)  phone   plate 京A11111 "X1"  刹车  staff advisor+techdir
        quality, dept service, walked to archive with a satisfied callback; repeat of c2
    c3  11-10 10:00              onsite  plate 京B22222 "Y"         staff techdir  (received)
    c4  11-15 10:00              phone   phone 13800000000    刹车  attitude, judged unfounded
    c5  11-16 10:00              letter  phone 13800000000          voided (not counted)
    c6  11-30 23:30              web     phone 13800000000          repeat of c4 (received)

Outside November: c2 10-31 23:30 (phone, plate 京A11111), c7 12-01 00:05 (11-30 UTC!),
c8 10-01 10:00 a pending matter proposed on 10-20 (age 41 days on 12-01).
"""

import datetime as dt
import zoneinfo

import time_machine

from complaintdesk.complaints import workflow
from complaintdesk.complaints.choices import Nature
from complaintdesk.complaints.tests.factories import new_complaint

SH = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 12, 1, 0, 10, tzinfo=SH)
NOV = (dt.date(2026, 11, 1), dt.date(2026, 11, 30))


def at(month, day, hour, minute=0, year=2026):
    return dt.datetime(year, month, day, hour, minute, tzinfo=SH)


def finish(shop, complaint, *, archive=True):
    """Workflow A after acceptance, as complaints.tests.factories.walk does."""
    steps = [
        (
            "determine",
            shop.manager,
            {
                "responsible_department": shop.department("service").pk,
                "responsibility_finding": "维修技师未按规范紧固刹车片",
                "handling_opinion": "免费返修并致歉",
                "callback_required": True,
            },
        ),
        ("review", shop.mgmt, {"agreed": True, "opinion": "同意处理意见"}),
        ("decide", shop.gm, {"decision": "同意"}),
        ("complete", shop.mgmt, {"accountability_note": "已处罚"}),
        (
            "record_callback",
            shop.caller,
            {"reached": True, "satisfied": True, "customer_words": "满意"},
        ),
    ] + ([("archive", shop.director, {})] if archive else [])
    for name, actor, params in steps:
        complaint = workflow.perform(name, complaint.pk, actor=actor, **params)
    return complaint


def build(shop):
    """Returns the complaints by name; the caller has frozen time at NOW."""
    c = {}
    c["c2"] = new_complaint(
        shop, channel="phone", received_at=at(10, 31, 23, 30), plate="京A11111", vehicle_model="X1"
    )
    c["c8"] = new_complaint(shop, channel="phone", received_at=at(10, 1, 10))
    with time_machine.travel(at(10, 20, 10), tick=False):
        workflow.perform("accept", c["c8"].pk, actor=shop.manager, nature=Nature.QUALITY)
        workflow.perform(
            "propose_pending",
            c["c8"].pk,
            actor=shop.manager,
            reason=Nature.PARTS_DELAY,
            comment="配件未到",
        )
    c["c1"] = new_complaint(
        shop,
        channel="phone",
        received_at=at(11, 1, 7, 30),
        plate="京A11111",
        vehicle_model="X1",
        source_category="刹车",
        involved_staff=[shop.advisor.pk, shop.techdir.pk],
    )
    workflow.perform(
        "accept",
        c["c1"].pk,
        actor=shop.manager,
        nature=Nature.QUALITY,
        concerned_department=shop.department("service").pk,
    )
    finish(shop, c["c1"])
    c["c3"] = new_complaint(
        shop,
        channel="onsite",
        received_at=at(11, 10, 10),
        plate="京B22222",
        vehicle_model="Y",
        involved_staff=[shop.techdir.pk],
    )
    c["c4"] = new_complaint(
        shop,
        channel="phone",
        received_at=at(11, 15, 10),
        customer_phone="13800000000",
        customer_name="张先生",
        source_category="刹车",
    )
    workflow.perform("accept", c["c4"].pk, actor=shop.manager, nature=Nature.ATTITUDE)
    workflow.perform(
        "judge_unfounded",
        c["c4"].pk,
        actor=shop.director,
        outcome="unfounded",
        explanation="经查与事实不符",
    )
    c["c5"] = new_complaint(
        shop,
        channel="letter",
        received_at=at(11, 16, 10),
        customer_phone="13800000000",
        customer_name="张先生",
    )
    workflow.perform("void", c["c5"].pk, actor=shop.director, reason="重复登记")
    c["c6"] = new_complaint(
        shop,
        channel="web",
        received_at=at(11, 30, 23, 30),
        customer_phone="13800000000",
        customer_name="张先生",
    )
    c["c7"] = new_complaint(shop, channel="phone", received_at=at(12, 1, 0, 5))
    return c
