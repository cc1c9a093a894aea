"""Small builders for complaint object graphs used across the tests."""

import datetime as dt

from django.utils import timezone

from complaintdesk.complaints import services, workflow
from complaintdesk.complaints.choices import Nature


def new_complaint(shop, *, actor=None, **overrides):
    fields = {
        "channel": "onsite",
        "received_at": timezone.now() - dt.timedelta(minutes=5),
        "summary": "保养后刹车异响",
        "description": "客户反映上周保养后刹车有异响，要求免费检查。",
    }
    fields.update(overrides)
    return services.complaint_create(actor=actor or shop.reception, store=shop.store, **fields)


def walk(shop, complaint, *, to: str, nature=Nature.QUALITY, callback_required=True):
    """Move a fresh complaint along workflow A up to (and including) the named action."""
    steps = [
        ("accept", shop.manager, {"nature": nature}),
        (
            "determine",
            shop.manager,
            {
                "responsible_department": shop.department("service").pk,
                "responsibility_finding": "维修技师未按规范紧固刹车片",
                "handling_opinion": "免费返修并致歉",
                "remedies": ["apology", "free_rerepair"],
                "callback_required": callback_required,
            },
        ),
        ("review", shop.mgmt, {"agreed": True, "opinion": "同意处理意见"}),
        ("decide", shop.gm, {"decision": "同意，按公司制度处理"}),
        ("complete", shop.mgmt, {"accountability_note": "已与责任技师面谈，按制度处罚"}),
        (
            "record_callback",
            shop.caller,
            {"reached": True, "satisfied": True, "customer_words": "满意"},
        ),
        ("archive", shop.director, {}),
    ]
    for name, actor, params in steps:
        if name == "record_callback" and not callback_required:
            continue
        complaint = workflow.perform(name, complaint.pk, actor=actor, **params)
        if name == to:
            return complaint
    return complaint
