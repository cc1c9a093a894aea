"""Confidence honesty: the thresholds of engine.confidence_level, how the shipped calibration and
the live decisions combine, and that a suggestion which is usually wrong is never shown as
confident."""

import pytest

from complaintdesk.complaints.tests.factories import new_complaint
from complaintdesk.org.models import DealerGroup
from complaintdesk.testing import make_store_with_staff
from complaintdesk.triage import selectors, services
from complaintdesk.triage.engine import Calibration, Estimate, confidence_level


@pytest.mark.parametrize(
    ("precision", "measured_on", "support", "clear", "tie", "level"),
    [
        (0.9, 10, 10, True, False, "high"),
        (0.8, 5, 5, True, False, "high"),  # the thresholds are inclusive
        (0.79, 10, 10, True, False, "medium"),
        (0.9, 10, 10, False, False, "medium"),  # no clear lead: at most medium
        (0.9, 10, 4, True, False, "medium"),  # support below 5: at most medium
        (0.6, 10, 10, True, False, "medium"),
        (0.59, 10, 10, True, False, "low"),
        (0.9, 4, 10, True, False, "low"),  # measured on fewer than 5 suggestions
        (0.9, 10, 10, True, True, "low"),  # a tie is a guess
        (0.2, 100, 100, True, False, "low"),  # usually wrong
    ],
)
def test_confidence_thresholds(precision, measured_on, support, clear, tie, level):
    estimate = Estimate(precision, measured_on, support, "labels")
    assert confidence_level(estimate, clear=clear, tie=tie) == level


def test_never_measured_is_low():
    assert confidence_level(None, clear=True, tie=False) == "low"


SHIPPED = {"nature": {"quality": {"precision": 0.85, "predicted": 20, "support": 24, "tp": 17}}}


def test_shipped_calibration_alone_until_twenty_live_decisions():
    cal = Calibration(shipped=SHIPPED, live={"nature": {"quality": (19, 0)}})
    assert cal.estimate("nature", "quality") == Estimate(0.85, 20, 24, "labels")


def test_twenty_live_decisions_are_pooled_with_the_labels():
    cal = Calibration(shipped=SHIPPED, live={"nature": {"quality": (20, 3)}})
    # (17 + 3) / (20 + 20) = 0.5 on 40 suggestions; support 24 + 3.
    assert cal.estimate("nature", "quality") == Estimate(0.5, 40, 27, "labels+live")


def test_live_decisions_alone_once_there_are_twenty():
    cal = Calibration(live={"severity": {"major": (25, 20)}})
    assert cal.estimate("severity", "major") == Estimate(0.8, 25, 20, "live")
    assert cal.estimate("severity", "critical") is None


def _group_store(code):
    group = DealerGroup.objects.create(code=f"group-{code}", name=f"Group {code}")
    return make_store_with_staff(code, group=group, prefix=f"{code}-")


@pytest.mark.django_db
def test_a_usually_rejected_suggestion_stops_being_confident(shop, calibration, monkeypatch):
    calibration(SHIPPED)
    monkeypatch.setattr(selectors, "LIVE_FEEDBACK_SECONDS", 0)  # count the decisions every time

    def level():
        s = services.suggest(group_id=shop.store.group_id, summary="发动机异响")
        return s.nature.value, s.nature.confidence

    assert level() == ("quality", "high")  # 0.85 measured on 20 labelled suggestions
    # Filers of another dealer group reject it: a different rule set, it does not count here.
    elsewhere = _group_store("far")
    for _ in range(20):
        new_complaint(elsewhere, summary="发动机异响", description="发动机异响", nature="attitude")
    assert level() == ("quality", "high")
    # 19 decisions in the group, all changed to another nature: not yet enough to count.
    for _ in range(19):
        new_complaint(shop, summary="发动机异响", description="发动机异响", nature="attitude")
    assert level() == ("quality", "high")
    # The 20th: pooled (17 + 0) / (20 + 20) = 0.425 → shown as a guess.
    new_complaint(shop, summary="发动机异响", description="发动机异响", nature="attitude")
    assert level() == ("quality", "low")


@pytest.mark.django_db
def test_complaints_that_leave_the_nature_open_decide_nothing(shop, calibration):
    calibration(SHIPPED)
    for _ in range(20):
        new_complaint(shop, summary="发动机异响", description="发动机异响")  # nature not judged
    s = services.suggest(group_id=shop.store.group_id, summary="发动机异响")
    assert (s.nature.confidence, s.nature.estimate.basis) == ("high", "labels")


@pytest.mark.django_db
def test_live_decisions_are_counted_once_per_period(shop, calibration, monkeypatch):
    calibration(SHIPPED)
    monkeypatch.setattr(selectors, "LIVE_FEEDBACK_SECONDS", 300)

    def level():
        return services.suggest(
            group_id=shop.store.group_id, summary="发动机异响"
        ).nature.confidence

    assert level() == "high"
    for _ in range(20):
        new_complaint(shop, summary="发动机异响", description="发动机异响", nature="attitude")
    # Still the count taken before the 20 rejections: it is at most 300 s old.
    assert level() == "high"
    selectors.forget_compiled_rules()  # what a new period (or a rule edit) does
    assert level() == "low"
