"""notify(): who is told, once per event, and when the outbound copies may leave (office hours)."""

import datetime as dt

import pytest
import time_machine
from django.db import transaction

from complaintdesk.complaints.tests.factories import new_complaint
from complaintdesk.notifications import selectors, services
from complaintdesk.notifications.choices import Channel, DeliveryStatus, Kind
from complaintdesk.notifications.delivery import deliver_due
from complaintdesk.notifications.models import Delivery, Notification
from complaintdesk.notifications.tests.factories import NOW, SHANGHAI, robot, with_email

HOOK = "http://127.0.0.1:9/hook"  # never called in these tests


def _notify(shop, recipients, key="breach:1", **kw):
    fields = {
        "recipients": recipients,
        "store": shop.store,
        "kind": Kind.BREACH,
        "title": "Deadline missed: FK-202612-0001 determine",
        "body": "Was due at 09:00",
        "dedupe_key": key,
        "now": NOW,
    }
    fields.update(kw)
    return services.notify(**fields)


def test_the_same_event_twice_tells_each_person_once_and_queues_each_target_once(shop):
    with_email(shop.manager, shop.director)
    hook = robot(shop.store, HOOK)

    first = _notify(shop, [shop.manager, shop.director])
    again = _notify(shop, [shop.manager, shop.director, shop.manager])

    assert {n.recipient for n in first} == {shop.manager, shop.director}
    assert again == []
    assert Notification.objects.filter(dedupe_key="breach:1").count() == 2
    deliveries = Delivery.objects.filter(dedupe_key="breach:1")
    assert sorted((d.channel, d.user_id or 0, d.endpoint_id or 0) for d in deliveries) == sorted(
        [
            (Channel.EMAIL, shop.manager.pk, 0),
            (Channel.EMAIL, shop.director.pk, 0),
            (Channel.WEBHOOK, 0, hook.pk),
        ]
    )
    # A different event is told again: 2 more notifications, 3 more deliveries.
    _notify(shop, [shop.manager, shop.director], key="breach:2")
    assert Notification.objects.count() == 4
    assert Delivery.objects.count() == 6


def test_a_person_added_later_is_told_and_the_robot_is_not_queued_again(shop):
    with_email(shop.manager, shop.gm)
    robot(shop.store, HOOK)
    _notify(shop, [shop.manager])
    created = _notify(shop, [shop.manager, shop.gm])

    assert [n.recipient for n in created] == [shop.gm]
    assert Delivery.objects.filter(channel=Channel.WEBHOOK).count() == 1
    assert Delivery.objects.filter(channel=Channel.EMAIL).count() == 2


def test_email_only_for_people_who_want_it_and_have_an_address(shop):
    with_email(shop.manager, shop.director)
    services.preference_set(actor=shop.director, email=False)
    _notify(shop, [shop.manager, shop.director, shop.advisor])  # the advisor has no address

    assert Notification.objects.count() == 3  # in-app is always on
    assert list(Delivery.objects.values_list("channel", "user_id")) == [
        (Channel.EMAIL, shop.manager.pk)
    ]


def test_inactive_people_and_the_staff_complained_about_are_not_told(shop):
    complaint = new_complaint(shop)
    complaint.involved_staff.add(shop.advisor)
    shop.caller.is_active = False
    shop.caller.save()
    _notify(shop, [shop.advisor, shop.manager, shop.caller], complaint=complaint)

    assert list(Notification.objects.values_list("recipient", flat=True)) == [shop.manager.pk]


def test_robots_get_the_kinds_they_ask_for_of_their_own_store_only(shop, other_shop):
    breaches_only = robot(shop.store, HOOK, kinds=[Kind.BREACH], name="breaches")
    robot(shop.store, HOOK, active=False, name="off")
    robot(other_shop.store, HOOK, name="other store")
    _notify(shop, [], key="breach:1", kind=Kind.BREACH)
    _notify(shop, [], key="warning:1", kind=Kind.WARNING)

    assert list(Delivery.objects.values_list("endpoint", "dedupe_key")) == [
        (breaches_only.pk, "breach:1")
    ]


def test_a_notice_about_no_store_is_told_in_app_and_by_email_but_to_no_robot(shop):
    with_email(shop.director)
    robot(shop.store, HOOK)
    services.notify(
        recipients=[shop.director],
        store=None,
        kind=Kind.CALENDAR_MISSING,
        title="The 2027 holiday calendar is missing",
        dedupe_key="calendar-missing:2027",
        now=NOW,
    )
    assert Notification.objects.get().store is None
    assert list(Delivery.objects.values_list("channel", flat=True)) == [Channel.EMAIL]


def test_a_rolled_back_caller_leaves_no_notification_and_no_delivery(shop):
    with_email(shop.manager)
    robot(shop.store, HOOK)
    with pytest.raises(RuntimeError), transaction.atomic():
        _notify(shop, [shop.manager])
        raise RuntimeError("the sweep failed half-way")
    assert Notification.objects.count() == 0
    assert Delivery.objects.count() == 0


def test_an_unknown_kind_is_refused(shop):
    with pytest.raises(ValueError):
        _notify(shop, [shop.manager], kind="gossip")
    assert Notification.objects.count() == 0


# Office hours of the CS center (SPEC §8): 8:00–11:30 and 14:00–18:00 on working days, 2026
# national calendar. (local time of the event, urgent, local time the message may leave)
OFFICE_HOURS_CASES = [
    # Thursday evening → Friday's opening.
    (dt.datetime(2026, 12, 3, 20, 0), False, dt.datetime(2026, 12, 4, 8, 0)),
    # Urgent (a critical complaint) does not wait.
    (dt.datetime(2026, 12, 3, 20, 0), True, dt.datetime(2026, 12, 3, 20, 0)),
    # Inside office hours: at once.
    (dt.datetime(2026, 12, 3, 10, 0), False, dt.datetime(2026, 12, 3, 10, 0)),
    # Lunch break → 14:00.
    (dt.datetime(2026, 12, 3, 12, 15), False, dt.datetime(2026, 12, 3, 14, 0)),
    # Friday after closing → Monday.
    (dt.datetime(2026, 12, 4, 18, 30), False, dt.datetime(2026, 12, 7, 8, 0)),
    # Eve of National Day: 1–7 October are holidays → Thursday 8 October.
    (dt.datetime(2026, 9, 30, 20, 0), False, dt.datetime(2026, 10, 8, 8, 0)),
    # Friday 9 October evening → Saturday 10 October, an in-lieu working day (调休).
    (dt.datetime(2026, 10, 9, 19, 0), False, dt.datetime(2026, 10, 10, 8, 0)),
    # 00:30 in Shanghai is 16:30 UTC the day before; the opening 08:00 is 00:00 UTC.
    (dt.datetime(2026, 12, 3, 0, 30), False, dt.datetime(2026, 12, 3, 8, 0)),
]


@pytest.mark.parametrize(("local", "urgent", "expected"), OFFICE_HOURS_CASES)
def test_ordinary_messages_wait_for_the_next_opening_urgent_ones_do_not(
    shop, local, urgent, expected
):
    with_email(shop.manager)
    at = local.replace(tzinfo=SHANGHAI)
    leave = expected.replace(tzinfo=SHANGHAI)
    with time_machine.travel(at, tick=False):
        services.notify(
            recipients=[shop.manager],
            store=shop.store,
            kind=Kind.WARNING,
            title="Due soon",
            urgent=urgent,
            dedupe_key="warning:1",
        )
        # In the app at once, whatever the hour.
        assert selectors.unread_count(shop.manager) == 1
        assert Notification.objects.get().created_at == at

    delivery = Delivery.objects.get()
    assert delivery.deliver_after == leave
    assert delivery.next_attempt_at == leave
    if leave > at:
        assert deliver_due(now=leave - dt.timedelta(seconds=1)).claimed == 0
    assert deliver_due(now=leave).sent == 1
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    assert delivery.sent_at == leave


def test_the_midnight_utc_case_in_utc_terms(shop):
    """The same case written in UTC: 16:30 UTC on 2 December waits until 00:00 UTC on 3 December."""
    at = dt.datetime(2026, 12, 2, 16, 30, tzinfo=dt.UTC)
    with_email(shop.manager)
    _notify(shop, [shop.manager], kind=Kind.WARNING, now=at)
    assert Delivery.objects.get().deliver_after == dt.datetime(2026, 12, 3, 0, 0, tzinfo=dt.UTC)
