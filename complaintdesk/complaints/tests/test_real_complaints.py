"""The real complaints in shared/data/complaints: they import cleanly, and real complaints go
through workflows A and B end to end through the service layer.

The files are read at run time (never copied into the repository). CI clones the repository
into a folder with a copy of shared/ beside it.
"""

import csv
import datetime as dt
import os
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation

from complaintdesk.complaints import workflow
from complaintdesk.complaints.choices import Channel, EventKind, Nature, Severity, Status
from complaintdesk.complaints.importing import Table, import_table, read_table
from complaintdesk.complaints.models import Complaint

SHARED = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "complaints"
# The row counts of the README's table (shared/data/complaints/README.md).
README_ROWS = {"12365auto_zh.csv": 1948, "nhtsa_en.csv": 413, "cfpb_vehicle_loan_en.csv": 24}
# Every distinct `channel` wording in the files, and the channel it means (worked out by hand
# from the README: 车质网 is a third-party platform; NHTSA's CMPL_TYPE decoded; CFPB's
# "Submitted via"; an NHTSA record whose filing channel is unknown came from the regulator).
CHANNEL_OF = {
    "第三方投诉平台 车质网 online complaint (status: 信息审核)": Channel.PLATFORM,
    "第三方投诉平台 车质网 online complaint (status: 处理反馈)": Channel.PLATFORM,
    "第三方投诉平台 车质网 online complaint (status: 厂家受理)": Channel.PLATFORM,
    "第三方投诉平台 车质网 online complaint (status: 用户评分)": Channel.PLATFORM,
    "NHTSA ODI complaint (submission channel not in file)": Channel.REGULATOR,
    "NHTSA hotline (phone) VOQ": Channel.PHONE,
    "NHTSA web site VOQ": Channel.WEB,
    "LETT": Channel.LETTER,
    "consumer letter": Channel.LETTER,
    "NHTSA vehicle owner questionnaire": Channel.REGULATOR,
    "portable safety complaint form (PDF)": Channel.LETTER,
    "CFPB, submitted via Web": Channel.WEB,
}

# Outside CI a checkout without ../shared (a clone elsewhere) skips these, saying why; CI always
# has the folder, and there a missing folder fails instead of passing silently.
pytestmark = pytest.mark.skipif(
    not SHARED.is_dir() and not os.environ.get("CI"),
    reason=f"the shared folder of real complaints is missing: {SHARED}",
)


@pytest.fixture(autouse=True)
def fast_hasher_english(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with translation.override("en"):
        yield


def file_rows(name: str) -> list[dict]:
    with open(SHARED / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_all_real_files_import_without_errors(shop):
    expected_channels: Counter = Counter()
    for name, readme_count in README_ROWS.items():
        rows = file_rows(name)
        assert len(rows) == readme_count, f"{name}: {len(rows)} rows, README says {readme_count}"
        expected_channels.update(CHANNEL_OF[row["channel"]] for row in rows)

    for name in README_ROWS:
        call_command("import", str(SHARED / name), "--store", "a", stdout=None, stderr=None)

    assert Complaint.objects.filter(store=shop.store).count() == 2385 == sum(README_ROWS.values())
    assert Counter(Complaint.objects.values_list("channel", flat=True)) == expected_channels

    # Spot checks against the files' first rows (README: NHTSA `model` is the model year).
    nhtsa = Complaint.objects.select_related("vehicle").get(source_ref="958117")
    assert nhtsa.received_at == dt.datetime(1995, 1, 2, 16, 0, tzinfo=dt.UTC)  # 00:00 Shanghai
    assert (nhtsa.vehicle.brand, nhtsa.vehicle.model) == ("FORD", "PROBE 1991")
    assert nhtsa.channel == Channel.PHONE
    assert nhtsa.source_category == "SEAT BELTS:FRONT:RETRACTOR"
    assert nhtsa.summary.startswith("DRIVER SEAT BELT RETRACTOR STOPS WORKING")
    zh = Complaint.objects.select_related("vehicle").get(source_ref="480799")
    assert zh.summary == zh.description == "吉利星越车机系统虚假宣传 卡顿严重"
    assert (zh.vehicle.brand, zh.vehicle.model) == ("吉利汽车", "星越 / 2020款 350T 魅影骑士版AWD")
    assert zh.channel == Channel.PLATFORM
    assert zh.source_category == "车身附件及电器; 销售问题 [H155,M279]"
    assert zh.source == "12365auto.com (车质网) complaint list, via GitHub course-repo crawls"

    # Importing the same files again adds nothing.
    for name in README_ROWS:
        call_command("import", str(SHARED / name), "--store", "a", stdout=None, stderr=None)
    assert Complaint.objects.count() == 2385


def import_some(shop, name: str, count: int, keep=lambda row: True) -> list[Complaint]:
    """Import the first `count` rows of a real file that `keep` accepts, through the importer."""
    table = read_table(name, (SHARED / name).read_bytes())
    brand = table.headers.index("brand")
    chosen = [(n, cells) for n, cells in table.rows if keep(cells[brand])][:count]
    report = import_table(
        Table(headers=table.headers, rows=chosen, encoding=table.encoding),
        store=shop.store,
        actor=shop.specialist,
        file_name=name,
    )
    assert report.ok and report.created == count
    refs = [cells[table.headers.index("source_id")] for _n, cells in chosen]
    return [Complaint.objects.get(source_ref=ref) for ref in refs]


def transitions(complaint) -> list[tuple[str, str]]:
    return list(
        complaint.events.filter(kind=EventKind.TRANSITION)
        .order_by("created_at", "id")
        .values_list("action", "to_status")
    )


class Handling:
    """The people of SPEC §4 doing their step for one store."""

    def __init__(self, shop):
        self.shop = shop

    def do(self, name, complaint, who, **params):
        return workflow.perform(name, complaint.pk, actor=getattr(self.shop, who), **params)

    def accept(self, c, nature=Nature.QUALITY):
        return self.do("accept", c, "manager", nature=nature)

    def determine(self, c, callback=True):
        return self.do(
            "determine",
            c,
            "manager",
            responsible_department=self.shop.department("service").pk,
            responsibility_finding="经检测确认为维修质量问题",
            handling_opinion="免费返修并致歉",
            remedies=["apology", "free_rerepair"],
            callback_required=callback,
        )

    def through_management(self, c):
        c = self.do("review", c, "mgmt", agreed=True, opinion="同意处理意见")
        c = self.do("decide", c, "gm", decision="同意")
        return self.do("complete", c, "mgmt", accountability_note="已落实责任追究")

    def callback(self, c, satisfied=True):
        return self.do(
            "record_callback",
            c,
            "caller",
            reached=True,
            satisfied=satisfied,
            customer_words="满意" if satisfied else "问题依旧，不满意",
        )

    def archive(self, c):
        return self.do("archive", c, "director")

    def workflow_a(self, c, nature=Nature.QUALITY):
        c = self.determine(self.accept(c, nature))
        return self.archive(self.callback(self.through_management(c)))

    def workflow_b(self, c, reason=Nature.UNCLEAR_QUALITY):
        c = self.accept(c, reason)
        c = self.do("propose_pending", c, "manager", reason=reason, comment="客户约定方便时回店")
        return self.do("approve_pending", c, "gm")


A_TRANSITIONS = [
    ("accept", Status.INVESTIGATING),
    ("determine", Status.MANAGEMENT_REVIEW),
    ("review", Status.GM_DECISION),
    ("decide", Status.ACCOUNTABILITY),
    ("complete", Status.CALLBACK),
    ("record_callback", Status.COMPLETED),
    ("archive", Status.ARCHIVED),
]
B_TRANSITIONS = [
    ("accept", Status.INVESTIGATING),
    ("propose_pending", Status.PENDING_APPROVAL),
    ("approve_pending", Status.PENDING),
]


def test_real_complaints_through_both_workflows(shop):
    bmw = import_some(shop, "12365auto_zh.csv", 14, keep=lambda brand: "宝马" in brand)
    nhtsa = import_some(shop, "nhtsa_en.csv", 4)
    cfpb = import_some(shop, "cfpb_vehicle_loan_en.csv", 3)
    h = Handling(shop)
    assert all(c.status == Status.RECEIVED and c.tier == 1 for c in bmw + nhtsa + cfpb)

    # Workflow A to the archive: eight BMW complaints, two NHTSA, one CFPB (sales process).
    for c in [*bmw[:8], *nhtsa[:2]]:
        c = h.workflow_a(c)
        assert (c.status, c.tier, c.outcome) == (Status.ARCHIVED, 1, "resolved")
        assert transitions(c) == A_TRANSITIONS
        assert c.current_step is None and c.closed_at is not None
    loan = h.workflow_a(cfpb[0], Nature.SALES_PROCESS)
    assert (loan.status, loan.nature) == (Status.ARCHIVED, Nature.SALES_PROCESS)

    # Workflow B: pending matters; three resume when the customer returns and are finished.
    for c in bmw[8:11]:
        c = h.workflow_b(c)
        assert c.status == Status.PENDING and c.nature == Nature.UNCLEAR_QUALITY
        c = h.do("resume", c, "manager", nature=Nature.QUALITY, comment="客户回店检测")
        assert (c.status, c.nature) == (Status.INVESTIGATING, Nature.QUALITY)
        c = h.archive(h.callback(h.through_management(h.determine(c))))
        assert c.status == Status.ARCHIVED
        assert transitions(c) == [*B_TRANSITIONS, ("resume", Status.INVESTIGATING)] + [
            t for t in A_TRANSITIONS if t[0] != "accept"
        ]
    still_pending = h.workflow_b(bmw[11], Nature.CUSTOMER_NO_TIME)
    assert still_pending.status == Status.PENDING
    assert transitions(still_pending) == B_TRANSITIONS

    # Judged unfounded (SPEC §3): explained to the customer and still closed on the record.
    unfounded = h.do(
        "judge_unfounded",
        bmw[12],
        "director",
        outcome="unfounded",
        explanation="经核实与事实不符，已向客户说明",
    )
    unfounded = h.archive(unfounded)
    assert (unfounded.status, unfounded.outcome) == (Status.ARCHIVED, "unfounded")
    assert transitions(unfounded) == [
        ("judge_unfounded", Status.COMPLETED),
        ("archive", Status.ARCHIVED),
    ]

    # A major complaint is raised to tier 2 (SPEC §3), then handled in workflow A.
    major = h.accept(bmw[13])
    major = h.do("set_severity", major, "director", severity=Severity.MAJOR, comment="重大投诉")
    assert (major.severity, major.tier, major.status) == (Severity.MAJOR, 2, Status.INVESTIGATING)
    event = major.events.get(kind=EventKind.SEVERITY_CHANGED)
    assert event.changes["severity"] == ["ordinary", "major"]
    assert event.changes["tier"] == [1, 2]
    major = h.archive(h.callback(h.through_management(h.determine(major))))
    assert (major.status, major.tier) == (Status.ARCHIVED, 2)

    # A critical one goes to tier 3 at once.
    critical = h.do(
        "set_severity", h.accept(nhtsa[2]), "director", severity=Severity.CRITICAL, comment="媒体"
    )
    assert (critical.tier, critical.severity) == (3, Severity.CRITICAL)

    # Dissatisfied at callback (SPEC §6): reopened one tier higher, handled again, archived.
    unhappy = h.callback(h.through_management(h.determine(h.accept(nhtsa[3]))), satisfied=False)
    assert (unhappy.status, unhappy.tier) == (Status.INVESTIGATING, 2)
    assert unhappy.events.filter(kind=EventKind.TIER_CHANGED).count() == 1
    unhappy = h.archive(h.callback(h.through_management(h.determine(unhappy))))
    assert (unhappy.status, unhappy.tier) == (Status.ARCHIVED, 2)

    # Voided: keeps its number, stays on the record.
    voided = h.do("void", h.accept(cfpb[1]), "director", reason="重复登记")
    assert voided.status == Status.VOIDED and voided.number == cfpb[1].number

    # The last one is still waiting to be registered.
    assert Complaint.objects.get(pk=cfpb[2].pk).status == Status.RECEIVED

    walked = bmw + nhtsa + cfpb[:2]
    assert len(walked) == 20
    statuses = Counter(
        Complaint.objects.filter(pk__in=[c.pk for c in walked]).values_list("status", flat=True)
    )
    # bmw: 8 + 3 resumed + unfounded + major archived, 1 pending; nhtsa: 2 + the reopened one
    # archived, the critical one investigating; cfpb: 1 archived, 1 voided.
    assert statuses == {
        Status.ARCHIVED: 17,
        Status.PENDING: 1,
        Status.INVESTIGATING: 1,
        Status.VOIDED: 1,
    }
