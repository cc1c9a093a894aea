"""`complaintdesk demo`: a demo dealer group, store, staff and complaints in every state.

Idempotent: the group, store, departments and users are get-or-create; complaints are imported
with a source and reference, so a second run skips them; only complaints that were never touched
(still `received`, with nothing on their timeline but the creation) are walked through the
workflow, each along a plan fixed by its rank and a hash of its reference — never random — so a
second run moves nothing.

Complaints come from the real files in shared/data/complaints (read at run time, never copied
into the repo) or, when that folder is absent, from BUILTIN_COMPLAINTS below.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.db.models import Count
from django.utils import timezone, translation

import complaintdesk
from complaintdesk.complaints import importing, services, workflow
from complaintdesk.complaints.choices import UNDETERMINABLE_NATURES, Nature, Remedy, Status
from complaintdesk.complaints.demo_data import BUILTIN_COMPLAINTS, BUILTIN_SOURCE
from complaintdesk.complaints.models import Complaint
from complaintdesk.org.models import DealerGroup, DepartmentKind, Role, User
from complaintdesk.org.services import role_grant
from complaintdesk.testing import PERSONAS, StoreStaff, make_store_with_staff

GROUP_CODE = "demo-group"
GROUP_NAME = "演示汽车集团"
STORE_CODE = "demo"
STORE_NAME = "演示宝马4S店 Demo BMW 4S Store"
DEFAULT_PASSWORD = "demo1234"  # noqa: S105 (the published demo login)

# SPEC §1 terms, for the printed table of logins.
ROLE_ZH = {
    Role.CS_DIRECTOR: "客服总监",
    Role.CUSTOMER_MANAGER: "客户经理",
    Role.CS_SPECIALIST: "客户专员",
    Role.SERVICE_ADVISOR: "服务顾问",
    Role.CALLBACK_AGENT: "电话回访员",
    Role.RECEPTIONIST: "接待员",
    Role.DEPARTMENT_MANAGER: "部门经理",
    Role.TECHNICAL_DIRECTOR: "技术总监",
    Role.MANAGEMENT: "管理部",
    Role.GENERAL_MANAGER: "总经理",
    Role.FINANCE: "财务部",
    Role.STORE_MANAGER: "店长",
}


def default_data_dir() -> Path | None:
    """$COMPLAINTDESK_SHARED_DATA (the shared folder, its data/ or data/complaints/; when set,
    only there), else the `shared/data/complaints` folder beside the repository checkout."""
    env = os.environ.get("COMPLAINTDESK_SHARED_DATA")
    if env:
        base = Path(env)
        candidates = [base, base / "complaints", base / "data" / "complaints"]
    else:
        repo_root = Path(complaintdesk.__file__).resolve().parents[1]
        candidates = [repo_root.parent / "shared" / "data" / "complaints"]
    for path in candidates:
        if path.is_dir() and any(path.glob("*.csv")):
            return path
    return None


# ---------------------------------------------------------------------------------------------
# Org and people.


def setup_org(password: str, *, reset_passwords: bool = True) -> StoreStaff:
    """Group, store, departments, one user per role, the group CS director and the admin.

    Passwords are set for new users, and for existing ones only with `reset_passwords` (hashing
    sixteen passwords takes seconds, and a rerun should not undo a changed password)."""
    group, _ = DealerGroup.objects.get_or_create(code=GROUP_CODE, defaults={"name": GROUP_NAME})
    usernames = [suffix for suffix, _r, _d, _n in PERSONAS]
    missing = User.objects.filter(username__in=usernames).count() < len(usernames)
    staff = make_store_with_staff(
        STORE_CODE,
        group=group,
        name=STORE_NAME,
        prefix="",
        password=password if (reset_passwords or missing) else None,
    )
    director, created = User.objects.get_or_create(
        username="groupdirector", defaults={"display_name": "集团客服总监"}
    )
    if created or reset_passwords:
        director.set_password(password)
        director.save()
    # A group-level grant (store left empty) reaches every store of the group on purpose.
    role_grant(user=director, role=Role.CS_DIRECTOR, store=None, group=group)
    admin, created = User.objects.get_or_create(
        username="admin", defaults={"display_name": "系统管理员"}
    )
    if created or reset_passwords or not (admin.is_staff and admin.is_superuser):
        admin.is_staff = admin.is_superuser = True
        admin.set_password(password)
        admin.save()  # no RoleGrant: the admin site account sees no store's complaints
    return staff


def logins(password: str) -> list[tuple[str, str, str, str]]:
    """username, role in Chinese, role in English, password — for the printed table."""
    with translation.override("en"):
        rows = [
            (suffix, ROLE_ZH[role], str(Role(role).label), password)
            for suffix, role, _d, _n in PERSONAS
        ]
    rows.append(("groupdirector", "集团客服总监", "Group customer service director", password))
    rows.append(("admin", "系统管理员（仅后台）", "Django superuser (admin site only)", password))
    return rows


def pad(text: str, width: int) -> str:
    """Left-justify for a terminal, counting a Chinese character as two columns."""
    shown = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(0, width - shown)


# ---------------------------------------------------------------------------------------------
# Complaints in.


def import_data(staff: StoreStaff, data_dir: Path | None, progress_stream=None) -> list:
    """Every CSV/XLSX file in data_dir, or the built-in complaints; returns the reports."""
    actor = staff.specialist
    reports = []
    if data_dir is None:
        table = builtin_table(timezone.now())
        reports.append(
            importing.import_table(
                table,
                store=staff.store,
                actor=actor,
                file_name="built-in demo complaints",
                source=BUILTIN_SOURCE,
            )
        )
        return reports
    for path in sorted([*data_dir.glob("*.csv"), *data_dir.glob("*.xlsx")]):
        bar = importing.ProgressBar(progress_stream, f"{path.name}:") if progress_stream else None
        reports.append(importing.import_file(path, store=staff.store, actor=actor, progress=bar))
    return reports


BUILTIN_COLUMNS = (
    "source_id",
    "received_at",
    "channel",
    "summary",
    "description",
    "customer_name",
    "customer_phone",
    "plate",
    "vin",
    "vehicle_brand",
    "vehicle_model",
    "location",
    "repair_order",
    "customer_demand",
    "nature",
)


def builtin_table(now: dt.datetime) -> importing.Table:
    rows = []
    for number, item in enumerate(BUILTIN_COMPLAINTS, start=2):
        values = {**item, "received_at": now - dt.timedelta(hours=item["hours_ago"])}
        rows.append((number, [values.get(name, "") for name in BUILTIN_COLUMNS]))
    return importing.Table(headers=list(BUILTIN_COLUMNS), rows=rows, encoding="built-in")


# ---------------------------------------------------------------------------------------------
# Moving complaints through the workflow.

# How a demo complaint is moved, as a list of operations (see Walker.OPS).
_A = ["accept", "determine", "review", "decide", "complete"]
_B = ["accept_b", "propose_pending"]
PLANS: dict[str, list[str]] = {
    "received": [],
    "investigating": ["accept"],
    "unreachable": ["accept", "mark_unreachable"],
    "escalated": ["accept", "escalate"],
    "major_open": ["accept", "severity_major"],
    "critical_open": ["accept", "severity_critical", "determine", "review"],
    "pending_approval": _B,
    "pending": [*_B, "approve_pending", "pending_contact"],
    "pending_refused": [*_B, "reject_pending"],
    "resumed": [*_B, "approve_pending", "resume"],
    "management_review": _A[:2],
    "gm_decision": _A[:3],
    "accountability": _A[:4],
    "callback": _A,
    "reopened": [*_A, "callback_unhappy"],
    "sent_back": [*_A, "callback_ok", "send_back"],
    "completed": [*_A, "callback_ok"],
    "archived": [*_A, "callback_ok", "archive"],
    "archived_no_callback": ["accept", "determine_no_callback", *_A[2:], "archive"],
    "pending_archived": [*_B, "approve_pending", "resume", *_A[1:], "callback_ok", "archive"],
    "major_archived": ["accept", "severity_major", *_A[1:], "callback_ok", "archive"],
    "critical_archived": ["accept", "severity_critical", *_A[1:], "callback_ok", "archive"],
    "unfounded": ["accept", "unfounded"],
    "unfounded_archived": ["unfounded", "archive"],
    "malicious_archived": ["accept", "malicious", "archive"],
    "voided": ["accept", "void"],
}
# The most recent complaints stay open, in this order, so every open state (and "my work") has
# something; the list is ordered so that a short import still shows each state once.
OPEN_PLANS = [
    "received",
    "investigating",
    "management_review",
    "pending",
    "gm_decision",
    "accountability",
    "callback",
    "pending_approval",
    "reopened",
    "major_open",
    "resumed",
    "critical_open",
    "unreachable",
    "sent_back",
    "escalated",
    "pending_refused",
    *["received", "investigating", "management_review", "gm_decision", "callback"],
    *["accountability", "pending", "received", "investigating", "pending_approval"],
    *["management_review", "callback", "received", "gm_decision", "investigating"],
    *["accountability", "pending", "received", "management_review", "investigating"],
    *["callback", "gm_decision", "received", "pending"],
]
# The older ones are closed: each of these once, then by hash bucket (mostly archived).
CLOSED_SPECIALS = [
    "voided",
    "unfounded_archived",
    "pending_archived",
    "major_archived",
    "completed",
    "critical_archived",
    "malicious_archived",
    "unfounded",
    "archived_no_callback",
]
CLOSED_BUCKETS = [  # (hash % 100 below, plan)
    (4, "completed"),
    (6, "unfounded_archived"),
    (9, "pending_archived"),
    (10, "major_archived"),
    (12, "archived_no_callback"),
    (100, "archived"),
]


def _hash(complaint: Complaint) -> int:
    key = f"{complaint.source}|{complaint.source_ref or complaint.number}"
    return int(hashlib.sha256(key.encode()).hexdigest()[:8], 16)


_PREFERRED_BRANDS = re.compile(r"宝马|bmw|mini", re.IGNORECASE)


def plan_for(candidates: list[Complaint]) -> dict[int, str]:
    """complaint id -> plan name. Built-in complaints carry their own plan; imported ones: the
    newest (BMW/MINI first: this is a BMW store) stay open, the older are closed."""
    builtin = {item["source_id"]: item["plan"] for item in BUILTIN_COMPLAINTS}
    plans: dict[int, str] = {}
    rest = []
    for c in candidates:
        if c.source == BUILTIN_SOURCE and c.source_ref in builtin:
            plans[c.pk] = builtin[c.source_ref]
        else:
            rest.append(c)
    n_open = min(len(OPEN_PLANS), len(rest) // 2)

    def preference(c):
        brand = c.vehicle_brand
        return (bool(_PREFERRED_BRANDS.search(brand)), c.received_at, c.pk)

    opened = sorted(rest, key=preference, reverse=True)[:n_open]
    for c, plan in zip(opened, OPEN_PLANS, strict=False):
        plans[c.pk] = plan
    closed = sorted(
        (c for c in rest if c.pk not in plans), key=lambda c: (c.received_at, c.pk), reverse=True
    )
    for index, c in enumerate(closed):
        if index < len(CLOSED_SPECIALS):
            plans[c.pk] = CLOSED_SPECIALS[index]
        else:
            bucket = _hash(c) % 100
            plans[c.pk] = next(plan for limit, plan in CLOSED_BUCKETS if bucket < limit)
    return plans


# Nature from the origin's category codes (车质网: I attitude, J repair, K charges, L/M sales,
# N parts) or from words in the text; quality when nothing says otherwise.
_CODE_NATURE = {
    "I": Nature.ATTITUDE,
    "J": Nature.REPEAT_REPAIR,
    "K": Nature.LABOUR_CHARGE,
    "L": Nature.SALES_PROCESS,
    "M": Nature.SALES_PROCESS,
    "N": Nature.PARTS_DELAY,
}
_WORD_NATURE = [
    (Nature.PARTS_DELAY, r"无配件|缺件|等配件|配件延|backorder|waiting for parts"),
    (Nature.ATTITUDE, r"态度|推诿|不理|rude|attitude|ignored"),
    (Nature.REPEAT_REPAIR, r"多次维修|反复|repeated|several times|multiple times|again"),
    (Nature.PARTS_PRICE, r"配件价格|配件贵|parts price"),
    (Nature.LABOUR_CHARGE, r"工时|收费|费用|labou?r charge|charged|fee"),
    (Nature.SALES_PROCESS, r"销售|宣传|承诺|合同|定金|提车|交车|加价|金融|loan|lease|sales|promis"),
    (Nature.DELAY, r"延误|拖延|工期|delay"),
    (Nature.WORKPLACE_CONDUCT, r"脏|烟味|划伤|座椅套|dirty|scratch"),
]


def classify(c: Complaint) -> str:
    if c.nature:
        return c.nature
    for letter in re.findall(r"\b([A-Z])\d+", c.source_category):
        if letter in _CODE_NATURE:
            return _CODE_NATURE[letter]
    text = f"{c.summary} {c.description[:500]}".lower()
    for nature, pattern in _WORD_NATURE:
        if re.search(pattern, text):
            return nature
    return Nature.QUALITY


# Undeterminable natures continue in workflow A with this nature once determined.
_DETERMINED = {
    Nature.UNCLEAR_QUALITY: Nature.QUALITY,
    Nature.PARTS_DELAY: Nature.DELAY,
    Nature.CUSTOMER_ABSENT: Nature.QUALITY,
    Nature.CUSTOMER_NO_TIME: Nature.QUALITY,
}

# nature -> (responsible department, finding, handling opinion, remedies, accountability)
HANDLING = {
    Nature.QUALITY: (
        DepartmentKind.SERVICE,
        "经技术总监路试与检测，确认为维修作业质量问题。",
        "免费返修，更换相关配件，并向客户致歉。",
        [Remedy.APOLOGY, Remedy.FREE_REREPAIR],
        "责任技师返工并扣减当月绩效；车间组织质量复盘。",
    ),
    Nature.ATTITUDE: (
        DepartmentKind.SERVICE,
        "调取接待录音并与当事人面谈，确认接待用语不当。",
        "当事人当面向客户致歉，纳入月度服务考核。",
        [Remedy.APOLOGY],
        "当事人书面检讨；服务经理组织接待礼仪培训。",
    ),
    Nature.WORKPLACE_CONDUCT: (
        DepartmentKind.SERVICE,
        "现场检查确认未按规范使用三件套，车内清洁不到位。",
        "免费精洗内饰并致歉。",
        [Remedy.APOLOGY, Remedy.FREE_INSPECTION],
        "班组长通报批评，重申文明生产规范。",
    ),
    Nature.DELAY: (
        DepartmentKind.SERVICE,
        "配件到货与车间排产衔接失误，且未及时告知客户进度。",
        "致歉并提供代步车，减免部分工时费。",
        [Remedy.APOLOGY, Remedy.SHUTTLE_OR_LOAN_CAR, Remedy.LABOUR_DISCOUNT],
        "调度员扣减绩效；建立每日进度告知制度。",
    ),
    Nature.PARTS_PRICE: (
        DepartmentKind.PARTS,
        "核对报价为原厂件指导价；原厂配件质保一年或2万公里。",
        "向客户耐心解释，赠送一次免费检测。",
        [Remedy.EXPLANATION, Remedy.FREE_INSPECTION],
        "配件部完善报价单说明，无个人责任。",
    ),
    Nature.LABOUR_CHARGE: (
        DepartmentKind.SERVICE,
        "工时按厂家标准工时计算，但增项未事先征得客户同意。",
        "减免本次增项工时费并致歉。",
        [Remedy.LABOUR_DISCOUNT, Remedy.APOLOGY],
        "服务顾问增项未签字确认，按制度罚款。",
    ),
    Nature.REPEAT_REPAIR: (
        DepartmentKind.SERVICE,
        "同一故障多次维修未根治；技术总监牵头诊断并上报厂家技术支持。",
        "免费维修，维修期间提供代步车，专人跟踪回访。",
        [Remedy.FREE_REREPAIR, Remedy.SHUTTLE_OR_LOAN_CAR, Remedy.APOLOGY],
        "技术总监组织疑难故障复盘，责任技师接受再培训。",
    ),
    Nature.SALES_PROCESS: (
        DepartmentKind.SALES,
        "核实销售顾问存在口头承诺但未写入合同。",
        "按承诺兑现赠送项目并致歉。",
        [Remedy.APOLOGY, Remedy.PARTS_COMPENSATION],
        "销售顾问按制度罚款；销售经理重申承诺须书面确认。",
    ),
    Nature.OTHER: (
        DepartmentKind.SERVICE,
        "经调查，责任在我方服务流程。",
        "向客户致歉并解释改进措施。",
        [Remedy.APOLOGY, Remedy.EXPLANATION],
        "相关部门完善流程。",
    ),
}
PENDING_REASONS = [
    Nature.UNCLEAR_QUALITY,
    Nature.CUSTOMER_NO_TIME,
    Nature.UNCLEAR_QUALITY,
    Nature.CUSTOMER_ABSENT,
]
CALLBACK_WORDS = [
    "客户表示满意，感谢门店处理及时。",
    "满意，返修后问题已解决。",
    "Customer is satisfied with how it was handled.",
    "客户认可处理结果，希望以后提前告知进度。",
]


@dataclass
class WalkResult:
    walked: int = 0
    actions: int = 0
    plans: dict[str, int] = field(default_factory=dict)


class Walker:
    """Applies a plan's operations to one complaint through workflow.perform, as the right
    demo user for each step."""

    def __init__(self, staff: StoreStaff):
        self.u = staff.users
        self.dept = {d.kind: d.pk for d in staff.store.departments.all()}
        self.actions = 0

    def perform(self, name, c, who, **params) -> Complaint:
        self.actions += 1
        return workflow.perform(name, c.pk, actor=self.u[who], **params)

    def run(self, c: Complaint, plan: str) -> Complaint:
        h = _hash(c)
        nature = classify(c)
        if nature in UNDETERMINABLE_NATURES:
            reason, nature = nature, _DETERMINED[nature]
        else:
            reason = PENDING_REASONS[h % len(PENDING_REASONS)]
        ctx = {"h": h, "nature": nature, "reason": reason, "callback": True}
        builtin = (
            next((i for i in BUILTIN_COMPLAINTS if i["source_id"] == c.source_ref), None)
            if c.source == BUILTIN_SOURCE
            else None
        )
        if builtin and builtin.get("involved"):
            # SPEC §1: the staff member complained about may not handle this complaint.
            self.actions += 1
            c = services.complaint_update(
                actor=self.u["specialist"],
                complaint_id=c.pk,
                expected_version=c.version,
                involved_staff=[self.u[builtin["involved"]].pk],
            )
        for op in PLANS[plan]:
            c = getattr(self, f"op_{op}")(c, ctx)
        return c

    # Workflow A (SPEC §4).
    def op_accept(self, c, ctx):
        dept = HANDLING.get(ctx["nature"], HANDLING[Nature.OTHER])[0]
        return self.perform(
            "accept",
            c,
            "manager",
            nature=ctx["nature"],
            concerned_department=self.dept[dept],
            comment="已向客户致歉并登记，判定投诉性质。",
        )

    def op_determine(self, c, ctx):
        dept, finding, opinion, remedies, _note = HANDLING.get(
            ctx["nature"], HANDLING[Nature.OTHER]
        )
        return self.perform(
            "determine",
            c,
            "manager",
            responsible_department=self.dept[dept],
            responsibility_finding=finding,
            handling_opinion=opinion,
            remedies=list(remedies),
            customer_informed=True,
            callback_required=ctx["callback"],
        )

    def op_determine_no_callback(self, c, ctx):
        ctx["callback"] = False
        return self.op_determine(c, ctx)

    def op_review(self, c, ctx):
        if ctx["h"] % 10 == 0:  # SPEC §4: disagree → a negotiated opinion, signed
            return self.perform(
                "review",
                c,
                "mgmt",
                agreed=False,
                opinion="管理部与客户经理、责任部门协商后签署：处理尺度过宽，改为返修加致歉。",
            )
        return self.perform("review", c, "mgmt", agreed=True, opinion="同意客户经理的处理意见。")

    def op_decide(self, c, ctx):
        who = "gm" if ctx["h"] % 3 else "deputygm"
        return self.perform("decide", c, who, decision="同意，按管理部意见执行。")

    def op_complete(self, c, ctx):
        note = HANDLING.get(ctx["nature"], HANDLING[Nature.OTHER])[4]
        return self.perform("complete", c, "mgmt", accountability_note=note)

    def op_callback_ok(self, c, ctx):
        words = CALLBACK_WORDS[ctx["h"] % len(CALLBACK_WORDS)]
        # The callback scale (followup.choices.Satisfaction): 5 very satisfied, 4 satisfied.
        return self.perform(
            "record_callback",
            c,
            "caller",
            reached=True,
            satisfaction=5 if ctx["h"] % 3 else 4,
            customer_words=words,
        )

    def op_callback_unhappy(self, c, ctx):
        self.perform("record_callback", c, "caller", reached=False, comment="无人接听，稍后再拨。")
        return self.perform(
            "record_callback",
            c,
            "caller",
            reached=True,
            satisfaction=2,
            customer_words="问题依旧，客户不满意，要求更高层级处理。",
        )

    def op_archive(self, c, ctx):
        return self.perform("archive", c, "director", comment="时效与处理尺度已检查。")

    def op_send_back(self, c, ctx):
        return self.perform(
            "send_back", c, "director", comment="处理尺度偏轻，退回管理部与责任人重新落实。"
        )

    def op_mark_unreachable(self, c, ctx):
        return self.perform("mark_unreachable", c, "manager", comment="两次致电客户未接通。")

    def op_escalate(self, c, ctx):
        return self.perform("escalate", c, "director", comment="客户情绪激动，提升处理层级。")

    def op_severity_major(self, c, ctx):
        return self.perform(
            "set_severity", c, "director", severity="major", comment="重大投诉：已报总经理。"
        )

    def op_severity_critical(self, c, ctx):
        return self.perform(
            "set_severity",
            c,
            "director",
            severity="critical",
            comment="客户称将联系媒体并走法律途径，按重特大投诉处理。",
        )

    # Workflow B (SPEC §5).
    def op_accept_b(self, c, ctx):
        return self.perform(
            "accept",
            c,
            "manager",
            nature=ctx["reason"],
            concerned_department=self.dept[DepartmentKind.SERVICE],
        )

    def op_propose_pending(self, c, ctx):
        return self.perform(
            "propose_pending",
            c,
            "manager",
            reason=ctx["reason"],
            comment="当时无法确定责任，已邀请客户方便时回店检测。",
        )

    def op_approve_pending(self, c, ctx):
        return self.perform("approve_pending", c, "gm", comment="同意列为未了事宜。")

    def op_pending_contact(self, c, ctx):
        """SPEC §5: the customer manager's contact on the ledger, with the next contact date."""
        from complaintdesk.followup.services import pending_contact_record

        self.actions += 1
        pending_contact_record(
            actor=self.u["manager"],
            complaint_id=c.pk,
            channel="phone",
            outcome="not_yet" if ctx["h"] % 2 else "reminded",
            note="已电话提醒客户，客户表示方便时回店检测。",
            next_contact_on=timezone.localdate() + dt.timedelta(days=7 + ctx["h"] % 21),
        )
        c.refresh_from_db()
        return c

    def op_reject_pending(self, c, ctx):
        return self.perform("reject_pending", c, "gm", comment="证据已足够，请立即确定责任。")

    def op_resume(self, c, ctx):
        return self.perform(
            "resume", c, "manager", nature=ctx["nature"], comment="客户回店，检测后已可确定责任。"
        )

    # Closing otherwise.
    def op_unfounded(self, c, ctx):
        return self.perform(
            "judge_unfounded",
            c,
            "director",
            outcome="unfounded",
            explanation="经调取监控与维修记录，所述情况与事实不符，已礼貌而坚定地向客户说明。",
        )

    def op_malicious(self, c, ctx):
        return self.perform(
            "judge_unfounded",
            c,
            "director",
            outcome="malicious",
            explanation="客户以投诉为由索要不合理赔偿，经核实为恶意投诉，已向客户说明并留档。",
        )

    def op_void(self, c, ctx):
        return self.perform(
            "void", c, "director", reason="重复登记，已并入同一客户的另一张反馈单。"
        )


def walk(staff: StoreStaff) -> WalkResult:
    """Move every untouched imported complaint of the demo store along its plan.

    Plans are worked out over all imported complaints of the store, so a rerun on the same data
    gives each complaint the same plan; only complaints nobody has touched yet (still received,
    with nothing but the creation on their timeline) are moved, so a rerun moves nothing.
    """
    from complaintdesk.warranty import demo as warranty_demo

    everything = list(
        Complaint.objects.filter(store=staff.store)
        .exclude(source="")
        # The three-guarantees case is not imported and has no plan; it must not shift the plans.
        .exclude(source_ref=warranty_demo.SOURCE_REF)
        .annotate(n_events=Count("events"))
        .select_related("vehicle")
    )
    plans = plan_for(everything)
    untouched = [c for c in everything if c.status == Status.RECEIVED and c.n_events == 1]
    walker = Walker(staff)
    result = WalkResult()
    # One transaction: a failure leaves every complaint untouched, so a rerun walks them all.
    with transaction.atomic():
        for c in sorted(untouched, key=lambda c: (c.received_at, c.pk)):
            plan = plans[c.pk]
            before = walker.actions
            walker.run(c, plan)
            if walker.actions > before:
                result.walked += 1
            result.plans[plan] = result.plans.get(plan, 0) + 1
    result.actions = walker.actions
    return result


def status_counts(staff: StoreStaff) -> list[tuple[str, str, int]]:
    counts = dict(
        Complaint.objects.filter(store=staff.store)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    return [(s.value, str(s.label), counts.get(s.value, 0)) for s in Status]


@dataclass
class DemoResult:
    staff: StoreStaff
    data_dir: Path | None
    reports: list
    walk: WalkResult
    seconds: dict[str, float]


def run_demo(
    *,
    data_dir: Path | None,
    password: str = DEFAULT_PASSWORD,
    reset_passwords: bool = True,
    progress_stream=None,
) -> DemoResult:
    seconds = {}
    t0 = time.monotonic()
    staff = setup_org(password, reset_passwords=reset_passwords)
    seconds["setup"] = time.monotonic() - t0
    t1 = time.monotonic()
    reports = import_data(staff, data_dir, progress_stream)
    seconds["import"] = time.monotonic() - t1
    t2 = time.monotonic()
    result = walk(staff)
    seconds["walk"] = time.monotonic() - t2
    # A three-guarantees case with a repair history (the real complaints carry no VIN).
    from complaintdesk.warranty.demo import showcase

    showcase(staff)
    seconds["total"] = time.monotonic() - t0
    return DemoResult(staff, data_dir, reports, result, seconds)
