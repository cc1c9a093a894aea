"""The shipped playbook (SPEC §8) and which entries fit which complaint. Expected lists are
written out by hand from the spec's mapping: parts price → parts-price script, labour charge →
labour-charge script, same problem repaired repeatedly → repeat-repair script, delay and parts
delay → delay script; principles and hotline phrases fit every nature and step."""

import re

import pytest

from complaintdesk.complaints import workflow
from complaintdesk.complaints.choices import Nature, Status
from complaintdesk.complaints.tests.factories import new_complaint, walk
from complaintdesk.guidance import selectors
from complaintdesk.guidance.choices import EntryKind
from complaintdesk.guidance.models import GuidanceEntry

CJK = re.compile(r"[\u4e00-\u9fff]")

PRINCIPLES = [
    "listen",
    "apologise",
    "separate-room",
    "never-argue",
    "explain-misunderstanding",
    "hold-the-rules",
    "thank",
    "act-fast",
    "our-fault",
    "not-our-fault",
]
SCRIPTS = ["parts-price", "labour-charge", "repeat-repair", "delay"]
PHRASES = [
    "hotline-greeting",
    "hotline-apology",
    "hotline-details",
    "hotline-callback",
    "hotline-closing",
]


def codes(entries):
    return [e.code for e in entries]


def test_shipped_content_exists_in_chinese_and_english(db):
    shipped = GuidanceEntry.objects.filter(store__isnull=True)
    by_kind = {
        kind: sorted(shipped.filter(kind=kind).values_list("code", flat=True))
        for kind in EntryKind.values
    }
    assert by_kind == {
        "principle": sorted(PRINCIPLES),
        "script": sorted(SCRIPTS),
        "phrase": sorted(PHRASES),
    }
    for entry in shipped:
        assert CJK.search(entry.title_zh) and CJK.search(entry.body_zh), entry.code
        assert not CJK.search(entry.title_en) and not CJK.search(entry.body_en), entry.code
        assert entry.title_en.strip() and len(entry.body_en) > 20, entry.code
        for b in entry.branches.all():
            assert CJK.search(b.label_zh) and CJK.search(b.reply_zh), (entry.code, b.code)
            assert b.label_en and b.reply_en and not CJK.search(b.label_en + b.reply_en)


def test_scripts_say_what_the_spec_asks(db):
    """SPEC §8: genuine parts with a one-year / 20,000 km warranty; standard labour times;
    intermittent faults, follow-up, escalation to the maker; delay: explain, shuttle, inform."""
    get = {e.code: e for e in GuidanceEntry.objects.filter(store__isnull=True)}.__getitem__
    assert "一年或两万公里" in get("parts-price").body_zh
    assert "20,000 km" in get("parts-price").body_en and "genuine" in get("parts-price").body_en
    assert "标准工时" in get("labour-charge").body_zh
    assert "standard labour times" in get("labour-charge").body_en
    repeat = get("repeat-repair")
    assert "间歇性" in repeat.body_zh and "回访" in repeat.body_zh and "厂家" in repeat.body_zh
    for words in ("intermittent", "calls you back", "manufacturer"):
        assert words in repeat.body_en
    delay = get("delay")
    assert "派车送您" in delay.body_zh and "进度" in delay.body_zh
    assert [(b.code, b.effect) for b in delay.branches.all()] == [
        ("shuttle-agreed", "ends"),
        ("waits-informed", "ends"),
        ("wants-loan-car", "continues"),
        ("still-complains", "continues"),
    ]
    assert [(b.code, b.effect) for b in get("parts-price").branches.all()] == [
        ("accepts", "ends"),
        ("asks-discount", "continues"),
        ("not-satisfied", "continues"),
    ]
    # A repeated fault is not settled by talk: every answer keeps the complaint open.
    assert {b.effect for b in repeat.branches.all()} == {"continues"}


@pytest.mark.parametrize(
    ("nature", "scripts"),
    [
        (Nature.QUALITY, []),
        (Nature.ATTITUDE, []),
        (Nature.WORKPLACE_CONDUCT, []),
        (Nature.DELAY, ["delay"]),
        (Nature.PARTS_PRICE, ["parts-price"]),
        (Nature.LABOUR_CHARGE, ["labour-charge"]),
        (Nature.REPEAT_REPAIR, ["repeat-repair"]),
        (Nature.SALES_PROCESS, []),
        (Nature.UNCLEAR_QUALITY, []),
        (Nature.PARTS_DELAY, ["delay"]),
        (Nature.CUSTOMER_ABSENT, []),
        (Nature.CUSTOMER_NO_TIME, []),
        (Nature.OTHER, []),
    ],
)
def test_fitting_entries_for_each_nature(shop, nature, scripts):
    for step in ("register", "determine"):
        assert codes(selectors.fitting(shop.store, nature=nature, step=step)) == (
            PRINCIPLES + scripts + PHRASES
        )
    # Past the determination the scripts no longer fit; principles and phrases still do.
    assert codes(selectors.fitting(shop.store, nature=nature, step="review")) == (
        PRINCIPLES + PHRASES
    )


def test_what_a_complaint_page_gets(shop):
    fresh = new_complaint(shop)  # received, nature not judged: every script may be needed
    g = selectors.guidance_for_complaint(fresh)
    assert (g.step, codes(g.principles), codes(g.scripts), codes(g.phrases)) == (
        "register",
        PRINCIPLES,
        SCRIPTS,
        PHRASES,
    )
    c = workflow.perform("accept", new_complaint(shop).pk, actor=shop.manager, nature="delay")
    assert codes(selectors.guidance_for_complaint(c).scripts) == ["delay"]
    reviewed = walk(shop, new_complaint(shop), to="determine", nature=Nature.LABOUR_CHARGE)
    assert reviewed.status == Status.MANAGEMENT_REVIEW
    g = selectors.guidance_for_complaint(reviewed)
    assert (codes(g.principles), g.scripts, codes(g.phrases)) == (PRINCIPLES, [], PHRASES)
    archived = walk(shop, new_complaint(shop), to="archive")
    g = selectors.guidance_for_complaint(archived)
    assert (g.principles, g.scripts, g.phrases) == ([], [], [])
