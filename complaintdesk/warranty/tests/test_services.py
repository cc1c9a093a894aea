"""Recording facts and visits, flagging and telling (SPEC §9), thresholds as data, the re-check.
Hand-worked histories: the complaint is received on 2026-06-15 about a car delivered 2025-09-01,
so it is on day 287 of its 三包 period (ends 2027-09-01) at 12,000 km."""

import datetime as dt

import pytest
import time_machine

from complaintdesk.complaints import workflow
from complaintdesk.complaints.choices import EventKind
from complaintdesk.complaints.models import ComplaintEvent, Vehicle
from complaintdesk.core.errors import ConflictOfInterest, NotFound, NotPermitted, ValidationFailed
from complaintdesk.notifications.models import Notification
from complaintdesk.org.models import User
from complaintdesk.warranty import selectors, services
from complaintdesk.warranty.choices import ConditionCode, Position, Standing, ThresholdCode
from complaintdesk.warranty.models import LegalRiskFlag, RepairVisit, WarrantyThreshold
from complaintdesk.warranty.tests.helpers import NOW, record, set_facts, vehicle_complaint

D = dt.date


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def evaluation(c):
    c.refresh_from_db()
    return selectors.evaluate_complaint(c)


def same_problem_visits(shop, c, n, start=1):
    for i in range(start, start + n):
        record(
            shop,
            c,
            f"RO-{i}",
            D(2025, 9, 10) + dt.timedelta(days=30 * i),
            mileage_km=1_000 * i,
            is_complaint_fault=True,
        )


def legal_risk_notes(c):
    return Notification.objects.filter(complaint=c, dedupe_key__startswith="legal-risk:")


def test_the_2022_thresholds_are_loaded_as_data(db):
    values = dict(WarrantyThreshold.objects.filter(store__isnull=True).values_list("code", "value"))
    assert values == {
        "sanbao_years": 2,
        "sanbao_km": 50_000,
        "warranty_years": 3,
        "warranty_km": 60_000,
        "major_part_days": 7,
        "safety_failure_days": 60,
        "safety_failure_km": 3_000,
        "safety_repairs": 2,
        "assembly_replacements": 2,
        "part_replacements": 2,
        "repair_days": 30,
        "same_problem_repairs": 4,
        "single_repair_days": 5,
    }
    assert set(WarrantyThreshold.objects.values_list("effective_from", flat=True)) == {
        D(2022, 1, 1)
    }


def test_facts_set_the_periods_and_are_written_on_the_timeline(shop, frozen):
    c = vehicle_complaint(shop)
    assert evaluation(c).standing == Standing.UNKNOWN  # no invoice date: cannot tell
    set_facts(shop, c)
    vehicle = Vehicle.objects.get(pk=c.vehicle_id)
    assert (vehicle.delivery_date, vehicle.mileage_km, vehicle.mileage_read_on) == (
        D(2025, 9, 1),
        12_000,
        D(2026, 6, 15),
    )
    result = evaluation(c)
    sanbao = result.periods["sanbao"]
    assert (sanbao.position, sanbao.day, sanbao.ends_on, sanbao.km_left) == (
        Position.INSIDE,
        287,
        D(2027, 9, 1),
        38_000,
    )
    assert result.periods["safety_failure"].position == Position.OUTSIDE
    assert result.standing == Standing.NOT_MET
    event = c.events.get(kind=EventKind.EDITED, data__has_key="vehicle_facts")
    assert event.actor == shop.specialist
    assert event.data["vehicle_facts"]["delivery_date"] == [None, "2025-09-01"]


def test_facts_are_checked(shop, frozen):
    c = vehicle_complaint(shop)
    with pytest.raises(ValidationFailed) as exc:
        services.vehicle_facts_set(
            actor=shop.specialist,
            complaint_id=c.pk,
            invoice_date=D(2026, 6, 16),
            delivery_date=None,
            mileage_km=12_000,
            mileage_read_on=None,
        )
    assert set(exc.value.errors) == {"invoice_date", "mileage_read_on"}
    assert Vehicle.objects.get(pk=c.vehicle_id).invoice_date is None


def test_fifth_repair_of_the_same_problem_flags_and_tells_cs_director_and_gm_once(
    shop, other_shop, frozen
):
    c = vehicle_complaint(shop)
    set_facts(shop, c)
    same_problem_visits(shop, c, 4)
    result = evaluation(c)
    assert result.condition(ConditionCode.SAME_PROBLEM_REPAIRS).standing == Standing.CLOSE
    assert not LegalRiskFlag.objects.exists() and not legal_risk_notes(c).exists()

    record(
        shop, c, "RO-5", D(2026, 6, 12), D(2026, 6, 13), mileage_km=11_500, is_complaint_fault=True
    )
    flag = LegalRiskFlag.objects.get(complaint=c)
    assert flag.condition == ConditionCode.SAME_PROBLEM_REPAIRS
    assert flag.numbers["count"] == 5 and flag.numbers["limit"] == 4
    assert "第二十四条" in flag.citation
    event = c.events.get(kind=EventKind.LEGAL_RISK)
    assert (event.actor, event.data["condition"], event.data["count"]) == (
        None,
        "same_problem_repairs",
        5,
    )
    told = legal_risk_notes(c)
    # The CS director and both holders of the GM role (the GM and the GM in charge); nobody else.
    assert {n.recipient for n in told} == {shop.director, shop.gm, shop.deputygm}
    assert all(n.urgent for n in told)

    # A 6th repair, a re-evaluation, the sweep: nobody is told twice.
    record(shop, c, "RO-6", D(2026, 6, 14), mileage_km=11_900, is_complaint_fault=True)
    services.vehicle_reevaluate(vehicle=c.vehicle)
    services.legal_risk_sweep()
    assert LegalRiskFlag.objects.filter(complaint=c).count() == 1
    assert c.events.filter(kind=EventKind.LEGAL_RISK).count() == 1
    assert told.count() == 3


def test_the_staff_complained_about_cannot_record_and_roles_are_checked(shop, other_shop, frozen):
    c = vehicle_complaint(shop, involved_staff=[shop.advisor.pk])
    events = ComplaintEvent.objects.filter(complaint=c).count()
    with pytest.raises(ConflictOfInterest):
        record(shop, c, "RO-1", D(2026, 6, 1), actor=shop.advisor)
    with pytest.raises(ConflictOfInterest):
        services.vehicle_facts_set(
            actor=shop.advisor,
            complaint_id=c.pk,
            invoice_date=D(2025, 9, 1),
            delivery_date=None,
            mileage_km=None,
            mileage_read_on=None,
        )
    # Nor through another complaint about the same vehicle.
    other = vehicle_complaint(shop)
    with pytest.raises(ConflictOfInterest):
        record(shop, other, "RO-1", D(2026, 6, 1), actor=shop.advisor)
    with pytest.raises(NotPermitted):
        record(shop, c, "RO-1", D(2026, 6, 1), actor=shop.reception)
    with pytest.raises(NotFound):
        record(shop, c, "RO-1", D(2026, 6, 1), actor=other_shop.director)
    assert not RepairVisit.objects.exists()
    assert ComplaintEvent.objects.filter(complaint=c).count() == events
    record(shop, c, "RO-1", D(2026, 6, 1), actor=shop.techdir)
    assert RepairVisit.objects.count() == 1


def test_visit_validation_and_same_repair_order_updates(shop, frozen):
    c = vehicle_complaint(shop)
    with pytest.raises(ValidationFailed) as exc:
        record(
            shop, c, "RO-1", D(2026, 6, 10), D(2026, 6, 9), system="brakes", assembly_replaced=True
        )
    assert set(exc.value.errors) == {"date_out", "assembly_replaced"}
    with pytest.raises(ValidationFailed) as exc:
        record(shop, c, "", D(2026, 6, 16), None)
    assert set(exc.value.errors) == {"repair_order", "date_in"}
    first = record(shop, c, "RO-1", D(2026, 6, 10), None, parts_replaced="前刹车片 x2、刹车盘")
    assert first.parts == ["前刹车片", "刹车盘"]
    # A new visit with a recorded number is refused, never overwrites; the visit is corrected by id.
    with pytest.raises(services.RepairOrderExists) as exc:
        record(shop, c, "RO-1", D(2026, 6, 10), D(2026, 6, 12), parts_replaced="前刹车片")
    assert set(exc.value.errors) == {"repair_order"} and exc.value.visit_id == first.pk
    again = record(
        shop,
        c,
        "RO-1",
        D(2026, 6, 10),
        D(2026, 6, 12),
        parts_replaced="前刹车片",
        visit_id=first.pk,
    )
    assert again.pk == first.pk and again.date_out == D(2026, 6, 12) and again.parts == ["前刹车片"]
    # The same repair order number on another vehicle of the store is refused.
    other = vehicle_complaint(shop, vin="LFV3A23C8K3000001", plate="京B54321")
    with pytest.raises(ValidationFailed) as exc:
        record(shop, other, "RO-1", D(2026, 6, 10))
    assert "repair_order" in exc.value.errors


def test_marking_and_unmarking_the_complaints_fault(shop, frozen):
    c = vehicle_complaint(shop)
    set_facts(shop, c)
    same_problem_visits(shop, c, 4)
    extra = record(shop, c, "RO-9", D(2026, 6, 1), mileage_km=11_000)
    assert evaluation(c).same_problem_repairs == 4
    services.repair_visit_set_fault(
        actor=shop.manager, complaint_id=c.pk, visit_id=extra.pk, is_complaint_fault=True
    )
    assert evaluation(c).same_problem_repairs == 5
    assert LegalRiskFlag.objects.filter(complaint=c, condition="same_problem_repairs").exists()
    services.repair_visit_delete(actor=shop.manager, complaint_id=c.pk, visit_id=extra.pk)
    assert evaluation(c).same_problem_repairs == 4
    # The flag stays on the record: it was raised.
    assert LegalRiskFlag.objects.filter(complaint=c).count() == 1
    # Another complaint's visit id is not found through this complaint.
    other = vehicle_complaint(shop, vin="LFV3A23C8K3000001", plate="京B54321")
    theirs = record(shop, other, "RO-X", D(2026, 6, 1))
    with pytest.raises(NotFound):
        services.repair_visit_delete(actor=shop.manager, complaint_id=c.pk, visit_id=theirs.pk)


def test_a_closed_complaint_is_not_flagged(shop, frozen):
    from complaintdesk.complaints.tests.factories import walk

    c = walk(shop, vehicle_complaint(shop), to="archive")
    set_facts(shop, c)
    same_problem_visits(shop, c, 5)
    assert evaluation(c).condition(ConditionCode.SAME_PROBLEM_REPAIRS).standing == Standing.MET
    assert not LegalRiskFlag.objects.exists()


# --- thresholds are data -----------------------------------------------------------------------


def test_changing_the_regulations_value_changes_the_evaluation(shop, frozen):
    c = vehicle_complaint(shop)
    set_facts(shop, c)
    same_problem_visits(shop, c, 4)
    assert evaluation(c).condition(ConditionCode.SAME_PROBLEM_REPAIRS).standing == Standing.CLOSE
    row = WarrantyThreshold.objects.get(store=None, code=ThresholdCode.SAME_PROBLEM_REPAIRS)
    row.value = 3
    with pytest.raises(NotPermitted):
        services.threshold_save_national(actor=shop.director, threshold=row)
    admin = User.objects.create_superuser("root", "root@example.com", "pw")
    services.threshold_save_national(actor=admin, threshold=row)
    result = evaluation(c)
    assert result.condition(ConditionCode.SAME_PROBLEM_REPAIRS).standing == Standing.MET
    assert result.condition(ConditionCode.SAME_PROBLEM_REPAIRS).limit == 3
    # Saving re-evaluated the open complaints: flagged and told.
    assert LegalRiskFlag.objects.filter(complaint=c, condition="same_problem_repairs").exists()
    assert legal_risk_notes(c).count() == 3


def test_a_law_change_applies_to_vehicles_delivered_from_its_date(shop, frozen):
    c = vehicle_complaint(shop)
    set_facts(shop, c)  # delivered 2025-09-01
    same_problem_visits(shop, c, 4)
    WarrantyThreshold.objects.create(
        code=ThresholdCode.SAME_PROBLEM_REPAIRS,
        value=3,
        unit="times",
        citation="a later rule",
        effective_from=D(2026, 1, 1),
    )
    assert evaluation(c).condition(ConditionCode.SAME_PROBLEM_REPAIRS).limit == 4
    set_facts(shop, c, delivery=D(2026, 1, 5), km=12_000)
    assert evaluation(c).condition(ConditionCode.SAME_PROBLEM_REPAIRS).limit == 3


def test_a_store_may_set_more_generous_values_only(shop, other_shop, frozen):
    c = vehicle_complaint(shop)
    set_facts(shop, c)
    # 21 repair days: 7 visits of 3 days.
    for i in range(7):
        record(
            shop, c, f"RO-{i}", D(2025, 10, 1 + 4 * i), D(2025, 10, 3 + 4 * i), mileage_km=2_000 + i
        )
    assert evaluation(c).condition(ConditionCode.REPAIR_DAYS).standing == Standing.NOT_MET
    with pytest.raises(NotPermitted):
        services.threshold_set(
            actor=shop.gm,
            store=shop.store,
            code="repair_days",
            value=20,
            effective_from=D(2022, 1, 1),
        )
    with pytest.raises(NotFound):
        services.threshold_set(
            actor=other_shop.director,
            store=shop.store,
            code="repair_days",
            value=20,
            effective_from=D(2022, 1, 1),
        )
    for code, value in (("repair_days", 31), ("sanbao_years", 1)):
        with pytest.raises(ValidationFailed) as exc:
            services.threshold_set(
                actor=shop.director,
                store=shop.store,
                code=code,
                value=value,
                effective_from=D(2022, 1, 1),
            )
        assert "value" in exc.value.errors
    services.threshold_set(
        actor=shop.director,
        store=shop.store,
        code="repair_days",
        value=20,
        effective_from=D(2022, 1, 1),
        note="品牌承诺",
    )
    result = evaluation(c)
    days = result.condition(ConditionCode.REPAIR_DAYS)
    assert (days.standing, days.count, days.limit) == (Standing.MET, 21, 20)
    assert LegalRiskFlag.objects.filter(complaint=c, condition="repair_days").exists()
    # The other store keeps the regulation's 30.
    assert selectors.limits_for(other_shop.store, D(2025, 9, 1))["repair_days"].value == 30
    row = WarrantyThreshold.objects.get(store=shop.store)
    services.threshold_remove(actor=shop.director, threshold_id=row.pk)
    assert evaluation(c).condition(ConditionCode.REPAIR_DAYS).limit == 30


# --- the scheduled re-check ----------------------------------------------------------------------


def test_the_recheck_flags_a_new_complaint_about_a_vehicle_with_a_history(shop, frozen):
    first = vehicle_complaint(shop)
    set_facts(shop, first)
    # 31 repair days of quality repairs, recorded through the first complaint: flagged at once.
    for i in range(10):
        record(
            shop,
            first,
            f"RO-{i}",
            D(2025, 10, 1 + 3 * i),
            D(2025, 10, 3 + 3 * i),
            mileage_km=2_000 + i,
        )
    record(shop, first, "RO-10", D(2025, 11, 15), mileage_km=3_000)
    assert LegalRiskFlag.objects.get(complaint=first).condition == ConditionCode.REPAIR_DAYS
    workflow.perform("void", first.pk, actor=shop.director, reason="重复登记")

    second = vehicle_complaint(shop)
    assert second.vehicle_id == first.vehicle_id
    assert not LegalRiskFlag.objects.filter(complaint=second).exists()
    assert services.legal_risk_sweep() == 1
    assert LegalRiskFlag.objects.get(complaint=second).condition == ConditionCode.REPAIR_DAYS
    assert services.legal_risk_sweep() == 0


def test_an_open_repair_crosses_the_limit_with_time_alone(shop, frozen):
    c = vehicle_complaint(shop)
    set_facts(shop, c)
    for i in range(9):
        record(
            shop, c, f"RO-{i}", D(2025, 10, 1 + 3 * i), D(2025, 10, 3 + 3 * i), mileage_km=2_000 + i
        )
    # 27 days so far; in the workshop since 2026-06-13: day 3 today (2026-06-15) = 30 days.
    record(shop, c, "RO-OPEN", D(2026, 6, 13), None, mileage_km=11_800)
    result = evaluation(c)
    assert result.condition(ConditionCode.REPAIR_DAYS).count == 30
    (repair,) = result.open_repairs
    assert (repair.day, repair.standing) == (3, Standing.NOT_MET)
    assert services.legal_risk_sweep() == 0

    frozen.move_to(NOW + dt.timedelta(days=1))  # 2026-06-16: day 4, 31 days
    assert services.legal_risk_sweep() == 1
    assert LegalRiskFlag.objects.get(complaint=c).numbers["count"] == 31

    frozen.move_to(NOW + dt.timedelta(days=3))  # 2026-06-18: day 6 of the repair
    (repair,) = evaluation(c).open_repairs
    assert (repair.day, repair.standing, repair.substitute_from) == (
        6,
        Standing.MET,
        D(2026, 6, 18),
    )
