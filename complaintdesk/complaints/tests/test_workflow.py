"""The state machine through the service layer: paths, roles, conflict of interest, deadlines."""

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.utils import translation

from complaintdesk.complaints import services, workflow
from complaintdesk.complaints.choices import EventKind, Nature, Severity, Status, StepKind
from complaintdesk.complaints.models import ComplaintEvent, Step
from complaintdesk.complaints.selectors import my_work
from complaintdesk.complaints.tests.factories import new_complaint, walk
from complaintdesk.core.errors import (
    ConflictOfInterest,
    InvalidTransition,
    NotFound,
    NotPermitted,
    StaleVersion,
    ValidationFailed,
)

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
UTC = dt.UTC
# Thursday 2026-12-03 10:00 in Shanghai = 02:00 UTC.
NOW = dt.datetime(2026, 12, 3, 10, 0, tzinfo=SHANGHAI)


def perform(name, c, actor, **params):
    return workflow.perform(name, c.pk, actor=actor, **params)


def determine_params(shop, **extra):
    params = {
        "responsible_department": shop.department("service").pk,
        "responsibility_finding": "责任在售后车间",
        "handling_opinion": "免费返修",
    }
    params.update(extra)
    return params


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def test_workflow_a_to_archive_records_every_step(shop, frozen):
    c = new_complaint(shop, received_at=NOW - dt.timedelta(minutes=30))
    assert c.number == "FK-202612-0001"
    c = walk(shop, c, to="archive")

    assert c.status == Status.ARCHIVED
    assert c.closed_at is not None
    kinds = [s.kind for s in Step.objects.filter(complaint=c, track="workflow").order_by("id")]
    assert kinds == [
        StepKind.REGISTER,
        StepKind.DETERMINE,
        StepKind.REVIEW,
        StepKind.DECIDE,
        StepKind.ACCOUNTABILITY,
        StepKind.CALLBACK,
        StepKind.ARCHIVE,
    ]
    assert not Step.objects.filter(complaint=c, finished_at__isnull=True).exists()
    # The 7-working-day consumer notice (SPEC §9) ran beside the workflow and was met.
    notice = Step.objects.get(complaint=c, kind=StepKind.CONSUMER_NOTICE)
    assert notice.finished_at is not None
    transitions = list(
        c.events.filter(kind=EventKind.TRANSITION).values_list("action", "from_status", "to_status")
    )
    assert transitions == [
        ("accept", "received", "investigating"),
        ("determine", "investigating", "management_review"),
        ("review", "management_review", "gm_decision"),
        ("decide", "gm_decision", "accountability"),
        ("complete", "accountability", "callback"),
        ("record_callback", "callback", "completed"),
        ("archive", "completed", "archived"),
    ]
    determine = c.events.get(action="determine", kind=EventKind.TRANSITION)
    assert determine.actor == shop.manager
    assert determine.changes["handling_opinion"] == ["", "免费返修并致歉"]
    assert determine.changes["remedies"] == [[], ["apology", "free_rerepair"]]


def test_step_due_times_are_spec_elapsed_hours(shop, frozen):
    received = NOW - dt.timedelta(minutes=30)  # 09:30 Shanghai
    c = new_complaint(shop, received_at=received)
    # SPEC §4: report within 1 h of receipt → 10:30 Shanghai = 02:30 UTC.
    assert c.current_step.due_at == dt.datetime(2026, 12, 3, 2, 30, tzinfo=UTC)

    c = perform("accept", c, shop.manager, nature=Nature.QUALITY)
    # 24 h to determine responsibility, from 10:00 Shanghai.
    assert c.current_step.due_at == dt.datetime(2026, 12, 4, 2, 0, tzinfo=UTC)
    frozen.shift(dt.timedelta(hours=3))
    c = perform("mark_unreachable", c, shop.manager, comment="电话三次未接通")
    # 48 h when the customer could not be reached: counted from the step's start, not from now.
    assert c.current_step.due_at == dt.datetime(2026, 12, 5, 2, 0, tzinfo=UTC)
    assert c.status == Status.INVESTIGATING
    extended = c.events.get(kind=EventKind.DEADLINE_EXTENDED)
    assert extended.data["due_at"] == ["2026-12-04T02:00:00+00:00", "2026-12-05T02:00:00+00:00"]
    with pytest.raises(InvalidTransition):
        perform("mark_unreachable", c, shop.manager)

    frozen.shift(dt.timedelta(hours=1))  # 14:00 Shanghai = 06:00 UTC
    c = perform("determine", c, shop.manager, **determine_params(shop))
    assert c.current_step.due_at == dt.datetime(2026, 12, 3, 10, 0, tzinfo=UTC)  # +4 h review
    c = perform(
        "review", c, shop.mgmt, agreed=False, opinion="经与客户经理、售后协商，签署协商意见"
    )
    assert c.current_step.due_at == dt.datetime(2026, 12, 3, 10, 0, tzinfo=UTC)  # +4 h GM
    frozen.shift(dt.timedelta(hours=2))  # 08:00 UTC
    c = perform("decide", c, shop.gm, decision="同意")
    assert c.current_step.due_at == dt.datetime(
        2026, 12, 3, 16, 0, tzinfo=UTC
    )  # +8 h accountability
    c = perform("complete", c, shop.mgmt, accountability_note="已处理")
    assert c.status == Status.CALLBACK
    assert c.current_step.due_at == dt.datetime(2026, 12, 4, 8, 0, tzinfo=UTC)  # +24 h callback


def test_workflow_b_pending_then_resumed(shop, frozen):
    c = new_complaint(shop, summary="间歇性异响无法复现")
    c = perform("accept", c, shop.manager, nature=Nature.UNCLEAR_QUALITY)
    # An undeterminable nature cannot be "determined" without changing the judgement first.
    with pytest.raises(ValidationFailed) as err:
        perform("determine", c, shop.manager, **determine_params(shop))
    assert "nature" in err.value.errors
    with pytest.raises(ValidationFailed) as err:
        perform("propose_pending", c, shop.manager, reason=Nature.QUALITY, comment="x")
    assert "reason" in err.value.errors

    c = perform(
        "propose_pending",
        c,
        shop.manager,
        reason=Nature.UNCLEAR_QUALITY,
        comment="请客户方便时回店复查",
    )
    assert c.status == Status.PENDING_APPROVAL
    assert c.current_step.assignee == shop.gm
    with pytest.raises(NotPermitted):
        perform("approve_pending", c, shop.manager)
    c = perform("approve_pending", c, shop.gm)
    assert c.status == Status.PENDING
    assert c.current_step.kind == StepKind.PENDING and c.current_step.due_at is None

    c = perform(
        "resume", c, shop.manager, nature=Nature.QUALITY, comment="客户回店，确认刹车片问题"
    )
    assert c.status == Status.INVESTIGATING
    assert c.current_step.due_at == dt.datetime(2026, 12, 4, 2, 0, tzinfo=UTC)
    c = perform("determine", c, shop.manager, **determine_params(shop))
    assert c.status == Status.MANAGEMENT_REVIEW


def test_gm_can_refuse_a_pending_matter(shop):
    c = new_complaint(shop)
    c = perform("accept", c, shop.manager, nature=Nature.PARTS_DELAY)
    c = perform("propose_pending", c, shop.manager, reason=Nature.PARTS_DELAY, comment="配件未到")
    with pytest.raises(ValidationFailed):
        perform("reject_pending", c, shop.gm, comment="")
    c = perform("reject_pending", c, shop.gm, comment="先判定责任")
    assert c.status == Status.INVESTIGATING


def test_unfounded_and_malicious_are_closed_on_the_record(shop):
    c = new_complaint(shop)
    c = perform("accept", c, shop.manager, nature=Nature.ATTITUDE)
    c = perform(
        "judge_unfounded",
        c,
        shop.manager,
        outcome="unfounded",
        explanation="监控显示顾问态度正常，已向客户耐心解释",
    )
    assert (c.status, c.outcome) == (Status.COMPLETED, "unfounded")
    c = perform("archive", c, shop.specialist)
    assert c.status == Status.ARCHIVED

    m = new_complaint(shop)
    with pytest.raises(ValidationFailed) as err:
        perform("judge_unfounded", m, shop.manager, outcome="malicious", explanation="x")
    assert "outcome" in err.value.errors  # only the CS director may call it malicious
    m = perform(
        "judge_unfounded",
        m,
        shop.director,
        outcome="malicious",
        explanation="同一人反复虚构事实索赔",
    )
    assert (m.status, m.outcome) == (Status.COMPLETED, "malicious")
    with pytest.raises(InvalidTransition):  # nothing was handled, so there is nothing to send back
        perform("send_back", m, shop.director, comment="x")


def test_severity_raises_the_tier(shop):
    c = new_complaint(shop)
    assert c.tier == 1
    c = perform("set_severity", c, shop.manager, severity=Severity.MAJOR)
    assert c.tier == 2
    c = perform("set_severity", c, shop.director, severity=Severity.CRITICAL, comment="媒体关注")
    assert c.tier == 3
    # Lowering the severity does not lower the tier: what was escalated stays escalated.
    c = perform("set_severity", c, shop.director, severity=Severity.ORDINARY)
    assert c.tier == 3
    sev = c.events.filter(kind=EventKind.SEVERITY_CHANGED).values_list("changes", flat=True)
    assert [ch["severity"] for ch in sev] == [
        ["ordinary", "major"],
        ["major", "critical"],
        ["critical", "ordinary"],
    ]

    critical = new_complaint(shop, severity=Severity.CRITICAL)
    assert critical.tier == 3


def test_tier_decides_who_determines_responsibility(shop):
    c = new_complaint(shop)
    c = perform("accept", c, shop.manager, nature=Nature.QUALITY)
    assert workflow.ACTIONS["determine"] in workflow.available_actions(c, shop.advisor)
    assert workflow.ACTIONS["determine"] not in workflow.available_actions(c, shop.deptmgr)

    c = perform("escalate", c, shop.director, comment="客户情绪激动")
    assert c.tier == 2
    with pytest.raises(NotPermitted):
        perform("determine", c, shop.advisor, **determine_params(shop))
    assert workflow.ACTIONS["determine"] in workflow.available_actions(c, shop.techdir)

    c = perform("escalate", c, shop.director, comment="要求总经理出面")
    assert c.tier == 3
    with pytest.raises(NotPermitted):
        perform("determine", c, shop.deptmgr, **determine_params(shop))
    with pytest.raises(InvalidTransition):
        perform("escalate", c, shop.director, comment="again")
    c = perform("determine", c, shop.gm, **determine_params(shop))
    assert c.status == Status.MANAGEMENT_REVIEW


def test_dissatisfied_callback_reopens_one_tier_higher(shop):
    c = walk(shop, new_complaint(shop), to="complete")
    assert c.status == Status.CALLBACK
    c = perform("record_callback", c, shop.caller, reached=False)
    assert c.status == Status.CALLBACK
    assert c.events.filter(kind=EventKind.CALLBACK_ATTEMPT).count() == 1
    c = perform(
        "record_callback",
        c,
        shop.caller,
        reached=True,
        satisfied=False,
        customer_words="异响还在，要求换刹车盘",
    )
    assert (c.status, c.tier) == (Status.INVESTIGATING, 2)
    tier_event = c.events.get(kind=EventKind.TIER_CHANGED)
    assert tier_event.changes == {"tier": [1, 2]}
    cb = c.events.get(action="record_callback", kind=EventKind.TRANSITION)
    assert cb.data["customer_words"] == "异响还在，要求换刹车盘"
    assert c.outcome == "resolved"  # the earlier outcome is replaced when it completes again


def test_reopen_after_completion(shop):
    c = walk(shop, new_complaint(shop), to="complete", callback_required=False)
    assert c.status == Status.COMPLETED
    with pytest.raises(ValidationFailed):
        perform("reopen", c, shop.manager, comment="")
    c = perform("reopen", c, shop.manager, comment="客户再次来电不满意")
    assert (c.status, c.tier, c.outcome, c.closed_at) == (Status.INVESTIGATING, 2, "", None)


def test_send_back_from_supervision(shop):
    c = walk(shop, new_complaint(shop), to="record_callback")
    c = perform("send_back", c, shop.director, comment="处罚尺度过轻")
    assert c.status == Status.ACCOUNTABILITY
    c = perform("complete", c, shop.mgmt, accountability_note="补充处罚")
    assert c.status == Status.CALLBACK  # still marked for callback


def test_closed_complaints_refuse_transitions_and_edits(shop):
    c = walk(shop, new_complaint(shop), to="archive")
    events = ComplaintEvent.objects.count()
    for name, actor in [
        ("accept", shop.manager),
        ("reopen", shop.director),
        ("void", shop.director),
    ]:
        with pytest.raises(InvalidTransition):
            perform(name, c, actor, **({"reason": "x"} if name == "void" else {}))
    with pytest.raises(InvalidTransition):
        services.complaint_update(
            actor=shop.manager, complaint_id=c.pk, expected_version=c.version, summary="x"
        )
    assert workflow.available_actions(c, shop.director) == []
    assert ComplaintEvent.objects.count() == events


def test_void_keeps_the_number(shop, frozen):
    first = new_complaint(shop)
    with pytest.raises(NotPermitted):
        perform("void", first, shop.manager, reason="重复录入")
    first = perform("void", first, shop.director, reason="重复录入")
    second = new_complaint(shop)
    assert (first.status, first.number) == (Status.VOIDED, "FK-202612-0001")
    assert second.number == "FK-202612-0002"
    assert first.void_reason == "重复录入"
    assert first.current_step is None


def test_roles_refused_write_nothing(shop):
    c = new_complaint(shop)
    before = ComplaintEvent.objects.count()
    for user in (shop.reception, shop.advisor, shop.finance, shop.gm, shop.mgmt):
        with pytest.raises(NotPermitted):
            perform("accept", c, user, nature=Nature.QUALITY)
    c = perform("accept", c, shop.specialist, nature=Nature.QUALITY)
    c = perform("determine", c, shop.advisor, **determine_params(shop))
    with pytest.raises(NotPermitted):
        perform("review", c, shop.manager, agreed=True, opinion="x")
    assert ComplaintEvent.objects.filter(action="review").count() == 0
    assert ComplaintEvent.objects.count() > before


def test_person_complained_about_never_handles_it(shop):
    c = new_complaint(
        shop, involved_staff=[shop.manager.pk, shop.advisor.pk], summary="客户经理态度恶劣"
    )
    # The step goes past the involved primary (customer manager) to the secondary.
    assert c.current_step.assignee == shop.specialist
    assert workflow.available_actions(c, shop.manager) == []
    before = ComplaintEvent.objects.count()
    with pytest.raises(ConflictOfInterest):
        perform("accept", c, shop.manager, nature=Nature.ATTITUDE)
    with pytest.raises(ConflictOfInterest):
        services.complaint_update(
            actor=shop.manager, complaint_id=c.pk, expected_version=c.version, involved_staff=[]
        )
    assert ComplaintEvent.objects.count() == before
    c = perform("accept", c, shop.director, nature=Nature.ATTITUDE)
    # The involved customer manager is not chosen as the form's manager and cannot be named.
    with pytest.raises(ConflictOfInterest):
        perform("determine", c, shop.advisor, **determine_params(shop))
    assert c not in my_work(shop.manager)
    assert c in my_work(shop.director)


def test_naming_an_involved_customer_manager_is_refused(shop):
    c = new_complaint(shop, involved_staff=[shop.manager.pk])
    with pytest.raises(ValidationFailed) as err:
        perform("accept", c, shop.director, nature=Nature.QUALITY, customer_manager=shop.manager.pk)
    assert "customer_manager" in err.value.errors


def test_absent_primary_hands_steps_to_secondary(shop):
    c = new_complaint(shop)
    assert c.current_step.assignee == shop.manager
    moved = services.staff_set_absent(actor=shop.manager, user=shop.manager, absent=True)
    assert moved == 1
    c.refresh_from_db()
    assert c.current_step.assignee == shop.specialist
    assigned = c.events.filter(kind=EventKind.ASSIGNED, action="reassign").get()
    assert assigned.changes == {"assignee": ["钱客户经理", "孙客户专员"]}
    # New complaints go to the secondary while the primary is away.
    assert new_complaint(shop).current_step.assignee == shop.specialist
    services.staff_set_absent(actor=shop.director, user=shop.manager, absent=False)
    c.refresh_from_db()
    assert c.current_step.assignee == shop.manager
    with pytest.raises(NotPermitted):
        services.staff_set_absent(actor=shop.reception, user=shop.manager, absent=True)


def test_stale_edit_is_refused(shop):
    c = new_complaint(shop)
    seen = c.version
    c2 = services.complaint_update(
        actor=shop.manager,
        complaint_id=c.pk,
        expected_version=seen,
        summary="刹车异响（已核实）",
        plate="京a·12345",
    )
    assert c2.version == seen + 1
    edit = c2.events.get(kind=EventKind.EDITED)
    assert edit.changes["summary"] == ["保养后刹车异响", "刹车异响（已核实）"]
    assert edit.changes["plate"] == ["", "京a·12345"]
    assert c2.vehicle.plate_normalized == "京A12345"
    with pytest.raises(StaleVersion):
        services.complaint_update(
            actor=shop.specialist, complaint_id=c.pk, expected_version=seen, summary="旧表单"
        )
    c2.refresh_from_db()
    assert c2.summary == "刹车异响（已核实）"
    with pytest.raises(StaleVersion):  # a transition from a stale page is refused too
        workflow.perform(
            "accept", c.pk, actor=shop.manager, expected_version=seen, nature=Nature.QUALITY
        )


def test_other_store_is_not_found(shop, other_shop):
    c = new_complaint(shop)
    with pytest.raises(NotFound):
        perform("accept", c, other_shop.director, nature=Nature.QUALITY)
    with pytest.raises(NotFound):
        services.complaint_update(
            actor=other_shop.director, complaint_id=c.pk, expected_version=1, summary="x"
        )
    with pytest.raises(NotFound):
        services.complaint_for_number(other_shop.director, c.number)
    with pytest.raises(NotFound):
        services.complaint_create(
            actor=other_shop.director,
            store=shop.store,
            channel="phone",
            received_at=c.received_at,
            summary="x",
            description="y",
        )
    assert services.complaint_for_number(shop.director, c.number) == c


def test_events_are_append_only(shop):
    c = new_complaint(shop)
    event = c.events.first()
    event.comment = "rewritten"
    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(ValueError):
        event.delete()


def test_missing_and_unexpected_parameters(shop):
    c = new_complaint(shop)
    with pytest.raises(ValidationFailed) as err:
        perform("accept", c, shop.manager)
    with translation.override("en"):
        assert {k: [str(m) for m in v] for k, v in err.value.errors.items()} == {
            "nature": ["This field is required."]
        }
    with translation.override("zh-hans"):
        assert "必填" in str(err.value.errors["nature"][0])
    with pytest.raises(ValidationFailed) as err:
        perform("accept", c, shop.manager, nature="quality", status="archived")
    assert "status" in err.value.errors
    with pytest.raises(ValidationFailed) as err:
        perform("accept", c, shop.manager, nature="bogus")
    assert "nature" in err.value.errors
    with pytest.raises(NotFound):
        perform("teleport", c, shop.manager)


def test_my_work_lists_what_each_role_must_do(shop, frozen):
    early = new_complaint(shop, received_at=NOW - dt.timedelta(minutes=50))
    late = new_complaint(shop, received_at=NOW - dt.timedelta(minutes=10))
    assert list(my_work(shop.manager)) == [early, late]  # the earlier due time first
    assert list(my_work(shop.gm)) == []
    assert list(my_work(shop.reception)) == []
    walk(shop, late, to="review")
    assert list(my_work(shop.gm)) == [late]
    assert list(my_work(shop.mgmt)) == []


def test_involved_person_is_refused_whatever_the_state(shop):
    c = new_complaint(shop, involved_staff=[shop.gm.pk])
    # "decide" is not possible in "received", but the GM must hear the conflict, not the state.
    with pytest.raises(ConflictOfInterest):
        perform("decide", c, shop.gm, decision="x")


def test_accept_keeps_the_department_chosen_at_intake_unless_another_is_given(shop):
    from complaintdesk.complaints.action_forms import ActionForm

    service, sales = shop.department("service"), shop.department("sales")
    c = new_complaint(shop, concerned_department=service.pk, nature="quality")
    form = ActionForm(workflow.ACTIONS["accept"], c)
    # The registering form starts from what the filer chose.
    assert form.fields["concerned_department"].initial == service.pk
    assert form.fields["nature"].initial == "quality"
    c = workflow.perform("accept", c.pk, actor=shop.manager, nature="quality")
    assert c.concerned_department_id == service.pk
    other = new_complaint(shop, concerned_department=service.pk)
    other = workflow.perform(
        "accept", other.pk, actor=shop.manager, nature="sales_process", concerned_department=sales.pk
    )
    assert other.concerned_department_id == sales.pk
