"""The deadline sweep: warnings, breaches, escalation, idempotence, recomputation, pauses."""

import datetime as dt
import threading
import zoneinfo
from unittest import mock

import pytest
import time_machine
from django.db import connections

from complaintdesk.complaints import workflow
from complaintdesk.complaints.choices import EventKind, Nature, Status, StepKind
from complaintdesk.complaints.models import Complaint, ComplaintEvent, Step
from complaintdesk.complaints.tests.factories import new_complaint, walk
from complaintdesk.deadlines import sweep as sweep_module
from complaintdesk.deadlines.models import Breach, CalendarDay, DayKind, DeadlinePolicy
from complaintdesk.deadlines.sweep import recompute_open_steps, sweep
from complaintdesk.notifications.models import Notification
from complaintdesk.testing import make_store_with_staff

SH = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(d, hh, mm=0, month=12):
    return dt.datetime(2026, month, d, hh, mm, tzinfo=SH)


def test_warning_at_75_percent_then_breach_escalates_and_hands_to_secondary(shop):
    with time_machine.travel(at(3, 9, 30), tick=False):
        c = new_complaint(shop, received_at=at(3, 9, 30))
    step = c.current_step
    # Register within 1 h (elapsed): due 10:30, warning at 75 % = 10:15.
    assert (step.due_at, step.warn_at) == (at(3, 10, 30), at(3, 10, 15))
    assert step.assignee == shop.manager

    assert (sweep(at(3, 10, 14)).warnings, Breach.objects.count()) == (0, 0)
    result = sweep(at(3, 10, 16))
    assert (result.warnings, result.breaches) == (1, 0)
    assert sweep(at(3, 10, 17)).warnings == 0  # recorded once
    warning = Breach.objects.get(kind=Breach.Kind.WARNING)
    assert (warning.responsible, warning.step_id) == (shop.manager, step.pk)
    assert Notification.objects.filter(recipient=shop.manager, kind="warning").count() == 1

    result = sweep(at(3, 10, 45))
    assert (result.warnings, result.breaches) == (0, 1)
    breach = Breach.objects.get(kind=Breach.Kind.BREACH)
    assert (breach.responsible, breach.tier_before, breach.tier_after) == (shop.manager, 1, 2)
    assert breach.late_by == dt.timedelta(minutes=15)
    c.refresh_from_db()
    step.refresh_from_db()
    assert c.tier == 2
    # The primary missed it: the step goes to the CS center's secondary responsible person.
    assert step.assignee == shop.specialist
    kinds = list(c.events.filter(actor=None).values_list("kind", flat=True))
    assert EventKind.DEADLINE_WARNING in kinds and EventKind.DEADLINE_BREACHED in kinds
    assert EventKind.TIER_CHANGED in kinds
    # Tier 2 people (CS director, department manager, technical director) and the new assignee.
    told = set(Notification.objects.filter(kind="breach").values_list("recipient__username", flat=True))
    assert told == {"a-director", "a-deptmgr", "a-techdir", "a-specialist"}

    assert sweep(at(3, 11, 0)).breaches == 0  # a re-run finds nothing new
    assert Breach.objects.count() == 2


def test_consumer_notice_is_a_deadline_too(shop):
    # Received Thursday 2026-12-03: 7 working days → Monday 2026-12-14 18:00.
    with time_machine.travel(at(3, 9, 0), tick=False):
        c = new_complaint(shop, received_at=at(3, 9, 0))
    notice = Step.objects.get(complaint=c, kind=StepKind.CONSUMER_NOTICE)
    assert notice.due_at == at(14, 18, 0)
    with time_machine.travel(at(4, 9, 0), tick=False):
        workflow.perform("inform_customer", c.pk, actor=shop.manager, how="电话告知已受理，48小时内给出方案")
    notice.refresh_from_db()
    assert notice.finished_at == at(4, 9, 0)
    assert sweep(at(15, 9, 0)).breaches == 1  # only the (long missed) register step


def test_warning_is_measured_on_the_deadlines_own_clock(shop):
    DeadlinePolicy.objects.create(store=shop.store, deadline="review", amount=4, clock="office", warn_percent=75)
    with time_machine.travel(at(3, 16, 0), tick=False):
        c = new_complaint(shop)
        c = walk(shop, c, to="determine")
    # Thursday 16:00 + 4 office hours: 2 h Thursday, 2 h Friday from 08:00 → Friday 10:00;
    # 75 % is 3 office hours → Friday 09:00, not 75 % of the 18 wall-clock hours.
    assert (c.current_step.due_at, c.current_step.warn_at) == (at(4, 10, 0), at(4, 9, 0))
    assert c.current_step.explanation["clock"] == "office"


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_record_each_breach_once():
    shop = make_store_with_staff("sw")
    with time_machine.travel(at(3, 9, 0), tick=False):
        complaints = [new_complaint(shop, received_at=at(3, 9, 0)) for _ in range(8)]
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run():
        try:
            barrier.wait(timeout=30)
            results.append(sweep(at(3, 12, 0)))
        except Exception as exc:  # noqa: BLE001
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sum(r.breaches for r in results) == 8
    assert Breach.objects.filter(kind="breach").count() == 8
    assert set(Complaint.objects.filter(pk__in=[c.pk for c in complaints]).values_list("tier", flat=True)) == {2}
    assert ComplaintEvent.objects.filter(kind=EventKind.DEADLINE_BREACHED).count() == 8


def test_a_crash_half_way_loses_nothing_and_repeats_nothing(shop):
    with time_machine.travel(at(3, 9, 0), tick=False):
        first, second = new_complaint(shop), new_complaint(shop)
    real = sweep_module._notify
    calls = []

    def flaky(**kwargs):
        calls.append(kwargs["dedupe_key"])
        if len(calls) == 2:
            raise RuntimeError("worker killed")
        real(**kwargs)

    with mock.patch.object(sweep_module, "_notify", flaky), pytest.raises(RuntimeError):
        sweep(at(3, 12, 0))
    # The worker died inside the batch: its transaction rolled back whole — no breach, no tier
    # change, no notification half-recorded.
    assert Breach.objects.filter(kind="breach").count() == 0
    assert set(Complaint.objects.filter(pk__in=[first.pk, second.pk]).values_list("tier", flat=True)) == {1}
    assert Notification.objects.filter(kind="breach").count() == 0
    result = sweep(at(3, 12, 1))
    assert result.breaches == 2
    assert sweep(at(3, 12, 2)).breaches == 0
    assert Breach.objects.filter(kind="breach").count() == 2
    assert Notification.objects.filter(kind="breach", complaint=first).count() == Notification.objects.filter(
        kind="breach", complaint=second
    ).count() > 0
    assert ComplaintEvent.objects.filter(kind=EventKind.DEADLINE_BREACHED).count() == 2


def test_calendar_change_recomputes_open_steps_and_withdraws_escalation(shop):
    DeadlinePolicy.objects.create(store=shop.store, deadline="determine", amount=8, clock="office")
    with time_machine.travel(at(4, 14, 0), tick=False):  # Friday 14:00
        c = new_complaint(shop)
        c = workflow.perform("accept", c.pk, actor=shop.manager, nature=Nature.QUALITY)
        done = walk(shop, new_complaint(shop), to="determine")
    # 8 office hours from Friday 14:00: 4 h Friday, 3.5 h + 0.5 h Monday → Monday 14:30.
    assert c.current_step.due_at == at(7, 14, 30)
    closed_step = Step.objects.filter(complaint=done, kind=StepKind.DETERMINE).get()
    assert sweep(at(7, 15, 0)).breaches >= 1
    c.refresh_from_db()
    assert c.tier == 2

    # The store declares Monday 7 December a closure: the step is now due Tuesday 14:30.
    CalendarDay.objects.create(store=shop.store, date=dt.date(2026, 12, 7), kind=DayKind.HOLIDAY, name="盘点停业")
    with time_machine.travel(at(7, 15, 5), tick=False):
        moved = recompute_open_steps(store=shop.store)
    assert moved >= 1
    step = Step.objects.get(pk=c.current_step_id)
    assert step.due_at == at(8, 14, 30)
    assert step.breached_at is None
    c.refresh_from_db()
    assert c.tier == 1
    breach = Breach.objects.get(step=step, kind="breach")
    assert breach.withdrawn_at == at(7, 15, 5)
    kinds = list(c.events.values_list("kind", flat=True))
    assert EventKind.DEADLINE_BREACHED in kinds  # history is kept
    assert EventKind.ESCALATION_WITHDRAWN in kinds and EventKind.DEADLINE_RECOMPUTED in kinds
    # A closed step keeps the due time it had.
    before = closed_step.due_at
    closed_step.refresh_from_db()
    assert closed_step.due_at == before


def test_paused_clock_stops_and_restarts(shop):
    with time_machine.travel(at(3, 10, 0), tick=False):
        c = new_complaint(shop)
        c = workflow.perform("accept", c.pk, actor=shop.manager, nature=Nature.QUALITY)
    assert c.current_step.due_at == at(4, 10, 0)  # 24 h elapsed
    with time_machine.travel(at(3, 14, 0), tick=False):
        c = workflow.perform("pause_clock", c.pk, actor=shop.manager, comment="客户出差，两天后回电")
    step = Step.objects.get(pk=c.current_step_id)
    assert (step.due_at, step.remaining_seconds) == (None, 20 * 3600)
    assert sweep(at(5, 12, 0)).breaches == 0  # nothing is overdue while the clock stands
    with time_machine.travel(at(5, 14, 0), tick=False):
        c = workflow.perform("resume_clock", c.pk, actor=shop.manager)
    step.refresh_from_db()
    # Two days paused: the 20 h left run from Saturday 14:00 → Sunday 10:00.
    assert step.due_at == at(6, 10, 0)
    assert step.warn_at == at(6, 4, 0)  # 75 % of 24 h = 18 h in; 14 h were left to it when paused
    kinds = list(c.events.values_list("kind", flat=True))
    assert kinds.count(EventKind.CLOCK_PAUSED) == 1 and kinds.count(EventKind.CLOCK_RESUMED) == 1


def test_reopened_complaint_gets_fresh_deadlines_and_keeps_old_breaches(shop):
    with time_machine.travel(at(3, 9, 0), tick=False):
        c = new_complaint(shop, received_at=at(3, 9, 0))
    sweep(at(3, 11, 0))  # the register step is missed
    with time_machine.travel(at(3, 11, 5), tick=False):
        c = walk(shop, Complaint.objects.get(pk=c.pk), to="complete", callback_required=False)
        c = workflow.perform("reopen", c.pk, actor=shop.director, comment="客户不满意")
    assert c.status == Status.INVESTIGATING
    assert c.current_step.due_at == at(4, 11, 5)
    assert c.current_step.breached_at is None
    assert Breach.objects.filter(complaint=c, kind="breach").count() == 1
