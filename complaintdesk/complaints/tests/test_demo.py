"""`complaintdesk demo`: idempotent org, users and complaints in every state."""

import csv
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from complaintdesk.complaints import demo, selectors
from complaintdesk.complaints.choices import EventKind, Severity, Status
from complaintdesk.complaints.models import Complaint, ComplaintEvent
from complaintdesk.org.models import DealerGroup, Role, RoleGrant, Store, User
from complaintdesk.org.selectors import roles_in_store, visible_store_ids
from complaintdesk.testing import PERSONAS


@pytest.fixture(autouse=True)
def fast_hasher_english(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with translation.override("en"):
        yield


def run_demo(**options) -> str:
    out = io.StringIO()
    call_command("demo", stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


def state():
    """Everything a rerun must leave alone."""
    return (
        sorted(Complaint.objects.values_list("number", "status", "tier", "version")),
        ComplaintEvent.objects.count(),
        User.objects.count(),
        RoleGrant.objects.count(),
        Store.objects.count(),
        DealerGroup.objects.count(),
    )


HEADER = ["source", "source_id", "date", "brand", "model", "channel", "title", "text", "category"]
PLATFORM = "第三方投诉平台 车质网 online complaint (status: 信息审核)"
SMALL = [
    # source_id, date, brand: only t5 is a BMW, so it is kept open first; then the newest.
    ("t1", "2021-03-01", "奥迪"),
    ("t2", "2021-02-01", "奔驰"),
    ("t3", "2021-01-01", "沃尔沃"),
    ("t4", "2020-12-01", "奥迪"),
    ("t5", "2020-10-01", "华晨宝马"),
    ("t6", "2020-09-01", "奔驰"),
    ("t7", "2020-08-01", "奥迪"),
    ("t8", "2020-07-01", "沃尔沃"),
]


@pytest.fixture
def small_dir(tmp_path):
    folder = tmp_path / "complaints"
    folder.mkdir()
    with open(folder / "sample.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        for ref, date, brand in SMALL:
            writer.writerow(["test", ref, date, brand, "A4L", PLATFORM, "刹车异响", "刹车异响", ""])
    (folder / "README.md").write_text("not data")
    return folder


def test_demo_with_a_data_folder_twice(db, small_dir):
    out = run_demo(data=small_dir, password="pw-12345")

    assert "sample.csv: 8 created" in out
    # Half of them stay open (OPEN_PLANS, BMW first, then newest); the older half are closed
    # (CLOSED_SPECIALS, newest first).
    expected = {
        "t5": (Status.RECEIVED, 1),
        "t1": (Status.INVESTIGATING, 1),
        "t2": (Status.MANAGEMENT_REVIEW, 1),
        "t3": (Status.PENDING, 1),
        "t4": (Status.VOIDED, 1),
        "t6": (Status.ARCHIVED, 1),  # judged unfounded, then archived
        "t7": (Status.ARCHIVED, 1),  # pending matter, resumed, then workflow A
        "t8": (Status.ARCHIVED, 2),  # major → tier 2
        # The three-guarantees case with its repair history (warranty.demo), registered.
        "demo-sanbao-gearbox": (Status.INVESTIGATING, 1),
    }
    got = {c.source_ref: (c.status, c.tier) for c in Complaint.objects.all()}
    assert got == expected
    assert Complaint.objects.get(source_ref="t6").outcome == "unfounded"
    assert Complaint.objects.get(source_ref="t8").severity == Severity.MAJOR
    t7_actions = list(
        Complaint.objects.get(source_ref="t7")
        .events.filter(kind=EventKind.TRANSITION)
        .values_list("action", flat=True)
    )
    assert t7_actions[:4] == ["accept", "propose_pending", "approve_pending", "resume"]
    assert t7_actions[-1] == "archive"

    first = state()
    out = run_demo(data=small_dir, password="pw-12345")
    assert "sample.csv: 0 created, 8 already there" in out
    assert "Workflow: 0 complaints moved with 0 actions" in out, out
    assert state() == first


def test_demo_builtin_complaints_show_every_state(db):
    out = run_demo(no_data=True)

    assert "built-in demo complaints: 30 created" in out
    counts = {}
    for status in Complaint.objects.values_list("status", flat=True):
        counts[status] = counts.get(status, 0) + 1
    # From the plans in demo_data: e.g. investigating = demo-03, 04 (unreachable), 07 (major),
    # 13 (reopened), 14 (resumed), 15, 16 (escalated), and the three-guarantees case.
    assert counts == {
        Status.RECEIVED: 2,
        Status.INVESTIGATING: 8,
        Status.PENDING_APPROVAL: 1,
        Status.PENDING: 2,
        Status.MANAGEMENT_REVIEW: 1,
        Status.GM_DECISION: 2,
        Status.ACCOUNTABILITY: 2,
        Status.CALLBACK: 1,
        Status.COMPLETED: 2,
        Status.ARCHIVED: 9,
        Status.VOIDED: 1,
    }
    by_ref = {c.source_ref: c for c in Complaint.objects.all()}
    assert (by_ref["demo-12"].severity, by_ref["demo-12"].tier) == (Severity.CRITICAL, 3)
    assert (by_ref["demo-07"].severity, by_ref["demo-07"].tier) == (Severity.MAJOR, 2)
    assert by_ref["demo-16"].tier == 2  # escalated
    reopened = by_ref["demo-13"]
    assert (reopened.status, reopened.tier) == (Status.INVESTIGATING, 2)
    callbacks = reopened.events.filter(
        action="record_callback", kind__in=[EventKind.CALLBACK_ATTEMPT, EventKind.TRANSITION]
    )
    assert [(e.kind, e.data["reached"], e.data["satisfied"]) for e in callbacks] == [
        (EventKind.CALLBACK_ATTEMPT, False, None),
        (EventKind.TRANSITION, True, False),
    ]
    assert by_ref["demo-26"].outcome == "malicious"
    assert by_ref["demo-28"].outcome == "unfounded"
    assert by_ref["demo-27"].void_reason
    assert by_ref["demo-14"].events.filter(action="resume", kind=EventKind.TRANSITION).exists()
    assert by_ref["demo-18"].events.filter(action="send_back").exists()
    assert by_ref["demo-04"].events.filter(kind=EventKind.DEADLINE_EXTENDED).exists()

    # The staff complained about may not handle it, so it is not on their desk (SPEC §1).
    advisor = User.objects.get(username="advisor")
    assert list(by_ref["demo-15"].involved_staff.all()) == [advisor]
    advisors_work = set(selectors.my_work(advisor).values_list("source_ref", flat=True))
    assert "demo-15" not in advisors_work
    assert "demo-03" in advisors_work  # another tier-1 complaint being investigated
    manager = User.objects.get(username="manager")
    assert selectors.my_work(manager).exists()

    first = state()
    out = run_demo(no_data=True)
    assert "0 created, 30 already there" in out
    assert state() == first


def test_demo_users_and_roles(db):
    run_demo(no_data=True, password="s3cret-pw")

    store = Store.objects.get(code="demo")
    assert store.name == "演示宝马4S店 Demo BMW 4S Store"
    assert store.group.code == "demo-group" and store.group.name == "演示汽车集团"
    assert store.departments.count() == 8
    for username, role, _dept, _name in PERSONAS:
        user = User.objects.get(username=username)
        assert role in roles_in_store(user, store), username
        assert user.check_password("s3cret-pw")
    director = User.objects.get(username="groupdirector")
    assert RoleGrant.objects.filter(
        user=director, store=None, group=store.group, role=Role.CS_DIRECTOR
    ).exists()
    assert store.pk in visible_store_ids(director)
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    assert admin.check_password("s3cret-pw")
    assert not RoleGrant.objects.filter(user=admin).exists()
    assert visible_store_ids(admin) == frozenset()


def test_rerun_keeps_changed_passwords_unless_asked(db):
    run_demo(no_data=True)
    gm = User.objects.get(username="gm")
    gm.set_password("changed-pw-1")
    gm.save()

    run_demo(no_data=True)
    assert User.objects.get(username="gm").check_password("changed-pw-1")

    run_demo(no_data=True, password="demo1234")
    assert User.objects.get(username="gm").check_password("demo1234")


def test_logins_table_is_printed(db):
    out = run_demo(no_data=True)
    assert "groupdirector" in out and "admin" in out
    assert "客服总监" in out and "Customer service director" in out
    assert "demo1234" in out


def test_missing_data_folder_is_an_error(db, tmp_path):
    with pytest.raises(CommandError, match="not a folder"):
        run_demo(data=tmp_path / "nope")


def test_default_data_folder(monkeypatch, tmp_path):
    shared = tmp_path / "shared"
    (shared / "data" / "complaints").mkdir(parents=True)
    (shared / "data" / "complaints" / "x.csv").write_text("date\n")
    monkeypatch.setenv("COMPLAINTDESK_SHARED_DATA", str(shared))
    assert demo.default_data_dir() == shared / "data" / "complaints"
    # Set to a folder without complaints, it is not quietly replaced by the one beside the checkout.
    monkeypatch.setenv("COMPLAINTDESK_SHARED_DATA", str(tmp_path / "nope"))
    assert demo.default_data_dir() is None
