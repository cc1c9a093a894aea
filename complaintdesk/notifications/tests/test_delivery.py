"""The outbox worker: digests, retries with back-off, never a second send, concurrent workers."""

import datetime as dt
import threading

import pytest
from django.core import mail
from django.db import connection

from complaintdesk.notifications import delivery as delivery_module
from complaintdesk.notifications import services
from complaintdesk.notifications.choices import Channel, DeliveryStatus, Kind
from complaintdesk.notifications.delivery import (
    LEASE,
    MAX_ATTEMPTS,
    backoff,
    claim_next,
    deliver_due,
    send_and_record,
)
from complaintdesk.notifications.formats import WECOM_MAX_BYTES
from complaintdesk.notifications.models import Delivery, Digest
from complaintdesk.notifications.tests.factories import NOW, robot, with_email
from complaintdesk.org.models import User

MINUTE = dt.timedelta(minutes=1)


def burst(shop, recipients, count, *, kind=Kind.BREACH, prefix="breach", now=NOW):
    """`count` distinct events told to the same people, as a sweep after an outage would."""
    label = "" if prefix == "breach" else f"{prefix} "
    for i in range(1, count + 1):
        services.notify(
            recipients=recipients,
            store=shop.store,
            kind=kind,
            title=f"Deadline missed: {label}item {i:03d}",
            body=f"Step {i} was due at 09:00",
            urgent=True,
            dedupe_key=f"{prefix}:{i}",
            now=now,
        )


def test_a_burst_of_200_is_one_email_and_one_robot_message(shop, robot_server):
    with_email(shop.manager)
    hook = robot(shop.store, robot_server.url())
    burst(shop, [shop.manager], 200)
    assert Delivery.objects.count() == 400

    report = deliver_due(now=NOW)

    assert (report.sent, report.retrying, report.failed) == (2, 0, 0)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["a-manager@dealer.example.cn"]
    assert message.subject == "URGENT Complaint desk: 200 notifications (200 urgent)"
    lines = message.body.splitlines()
    assert lines[0] == "You have 200 new notifications:"
    listed = [line for line in lines if line[:1].isdigit()]
    assert len(listed) == 200
    assert listed[0] == "1. URGENT [Deadline missed] Deadline missed: item 001"
    assert listed[199] == "200. URGENT [Deadline missed] Deadline missed: item 200"
    email_digest = Digest.objects.get(channel=Channel.EMAIL)
    assert message.extra_headers["Message-ID"] == f"<{email_digest.uid}@complaintdesk.local>"

    assert len(robot_server.requests) == 1
    payload = robot_server.requests[0].json
    robot_digest = Digest.objects.get(endpoint=hook)
    assert payload["id"] == str(robot_digest.uid)
    assert payload["count"] == 200
    assert [item["title"] for item in payload["items"]] == [
        f"Deadline missed: item {i:03d}" for i in range(1, 201)
    ]
    assert sorted(item["delivery_id"] for item in payload["items"]) == sorted(
        Delivery.objects.filter(endpoint=hook).values_list("pk", flat=True)
    )
    assert set(Delivery.objects.values_list("status", "attempts", "sent_at")) == {
        (DeliveryStatus.SENT, 1, NOW)
    }
    # Nothing is sent twice: a later run finds nothing to do.
    assert deliver_due(now=NOW + dt.timedelta(days=1)).claimed == 0
    assert len(mail.outbox) == 1
    assert len(robot_server.requests) == 1


def test_a_burst_to_a_wecom_robot_is_one_message_within_its_size_limit(shop, robot_server):
    robot(shop.store, robot_server.url("/cgi-bin/webhook/send?key=k1"), kind="wecom")
    burst(shop, [], 200)

    assert deliver_due(now=NOW).sent == 1

    assert len(robot_server.requests) == 1
    content = robot_server.requests[0].json["markdown"]["content"]
    assert len(content.encode()) <= WECOM_MAX_BYTES
    shown = [line for line in content.splitlines() if line[:1].isdigit()]
    assert shown[0].startswith("1. **URGENT ［Deadline missed］ Deadline missed: item 001**")
    rest = 200 - len(shown)
    assert rest > 0
    assert content.splitlines()[-2] == f"…and {rest} more in the complaint desk."


def test_people_get_one_digest_each_not_each_others(shop, robot_server):
    with_email(shop.manager, shop.director)
    burst(shop, [shop.manager, shop.director], 3)
    services.notify(
        recipients=[shop.director],
        store=shop.store,
        kind=Kind.WARNING,
        title="Only for the director",
        urgent=True,
        dedupe_key="warning:9",
        now=NOW,
    )
    deliver_due(now=NOW)

    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {"a-manager@dealer.example.cn", "a-director@dealer.example.cn"}
    assert by_address["a-manager@dealer.example.cn"].subject.startswith(
        "URGENT Complaint desk: 3 notifications"
    )
    assert "Only for the director" not in by_address["a-manager@dealer.example.cn"].body
    assert "Only for the director" in by_address["a-director@dealer.example.cn"].body


def test_backoff_doubles_from_one_minute_up_to_an_hour():
    assert [backoff(n) // MINUTE for n in range(1, 10)] == [1, 2, 4, 8, 16, 32, 60, 60, 60]


def test_a_failed_send_is_retried_after_back_off_and_never_sent_again_once_sent(shop, robot_server):
    hook = robot(shop.store, robot_server.url())
    robot_server.script.append((500, b"database is down"))
    burst(shop, [], 2)

    report = deliver_due(now=NOW)
    assert (report.sent, report.retrying) == (0, 1)
    first = Delivery.objects.filter(endpoint=hook)
    assert set(first.values_list("status", "attempts", "next_attempt_at")) == {
        (DeliveryStatus.PENDING, 1, NOW + MINUTE)
    }
    assert first[0].last_error == "HTTP 500: database is down"

    # Not due yet half a minute later.
    assert deliver_due(now=NOW + MINUTE / 2).claimed == 0
    assert len(robot_server.requests) == 1

    assert deliver_due(now=NOW + MINUTE).sent == 1
    assert set(first.values_list("status", "attempts", "sent_at", "last_error")) == {
        (DeliveryStatus.SENT, 2, NOW + MINUTE, "")
    }
    # The retry is the same message: same id, same items; only the attempt number differs.
    one, two = (r.json for r in robot_server.requests)
    assert one["id"] == two["id"]
    assert robot_server.requests[0].headers["x-complaintdesk-delivery"] == one["id"]
    assert robot_server.requests[1].headers["x-complaintdesk-delivery"] == one["id"]
    assert one["items"] == two["items"]
    assert (one["attempt"], two["attempt"]) == (1, 2)

    for later in (NOW + dt.timedelta(hours=2), NOW + dt.timedelta(days=30)):
        assert deliver_due(now=later).claimed == 0
    assert len(robot_server.requests) == 2


def test_retries_wait_1_2_4_8_minutes_and_give_up_after_max_attempts(shop, robot_server):
    hook = robot(shop.store, robot_server.url())
    robot_server.default = (503, b"busy")
    burst(shop, [], 1)

    at = NOW
    waits = []
    for attempt in range(1, MAX_ATTEMPTS + 1):
        deliver_due(now=at)
        d = Delivery.objects.get(endpoint=hook)
        assert d.attempts == attempt
        if attempt < MAX_ATTEMPTS:
            assert d.status == DeliveryStatus.PENDING
            waits.append((d.next_attempt_at - at) // MINUTE)
            at = d.next_attempt_at
    assert waits == [1, 2, 4, 8, 16, 32, 60]
    assert d.status == DeliveryStatus.FAILED
    assert d.last_error == "HTTP 503: busy"
    assert len(robot_server.requests) == MAX_ATTEMPTS
    assert deliver_due(now=at + dt.timedelta(days=1)).claimed == 0
    assert len(robot_server.requests) == MAX_ATTEMPTS


def test_a_worker_dying_after_the_claim_is_covered_by_the_lease(shop, robot_server):
    """The at-least-once window: a claimed digest whose worker died is sent again once the lease
    runs out — with the same id, so a receiver can drop a repeat."""
    robot(shop.store, robot_server.url())
    burst(shop, [], 1)
    delivery_module.form_digests(NOW)
    claimed = claim_next(NOW)  # … and the worker dies here, before or after sending
    assert Delivery.objects.get().status == DeliveryStatus.SENDING

    assert deliver_due(now=NOW + LEASE - dt.timedelta(seconds=1)).claimed == 0
    assert deliver_due(now=NOW + LEASE).sent == 1

    assert robot_server.requests[0].json["id"] == str(claimed.uid)
    d = Delivery.objects.get()
    assert (d.status, d.attempts) == (DeliveryStatus.SENT, 2)


def test_a_late_worker_cannot_overwrite_a_later_claims_outcome(shop, robot_server):
    robot(shop.store, robot_server.url())
    burst(shop, [], 1)
    delivery_module.form_digests(NOW)
    slow = claim_next(NOW)
    assert deliver_due(now=NOW + LEASE).sent == 1  # another worker, after the lease ran out

    robot_server.default = (500, b"late")
    report = delivery_module.Report()
    send_and_record(slow, NOW + LEASE, report)  # the slow worker finally gets its answer

    assert report.claimed == 0
    d = Delivery.objects.get()
    assert (d.status, d.last_error) == (DeliveryStatus.SENT, "")


def test_a_switched_off_robot_or_email_fails_at_once_without_sending(shop, robot_server):
    with_email(shop.manager)
    hook = robot(shop.store, robot_server.url())
    burst(shop, [shop.manager], 1)
    hook.active = False
    hook.save()
    services.preference_set(actor=shop.manager, email=False)

    report = deliver_due(now=NOW)

    assert (report.sent, report.failed) == (0, 2)
    assert robot_server.requests == []
    assert mail.outbox == []
    assert dict(Delivery.objects.values_list("channel", "last_error")) == {
        Channel.WEBHOOK: "the robot was switched off",
        Channel.EMAIL: "the recipient turned e-mail off",
    }


def _run_workers(count: int, now) -> tuple[list, list[BaseException]]:
    barrier = threading.Barrier(count)
    reports: list = []
    errors: list[BaseException] = []

    def work():
        try:
            barrier.wait()
            reports.append(deliver_due(now=now))
        except BaseException as exc:  # collected and asserted in the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return reports, errors


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_every_delivery_exactly_once(shop, robot_server):
    people = list(User.objects.filter(username__startswith="a-").order_by("username")[:10])
    with_email(*people)
    hook = robot(shop.store, robot_server.url())
    for round_no in range(3):
        burst(shop, people, 3, prefix=f"round{round_no}")
        reports, errors = _run_workers(2, NOW + dt.timedelta(minutes=round_no))
        assert errors == []
        # 10 e-mail digests and 1 robot digest per round, each claimed by exactly one worker.
        assert sum(r.claimed for r in reports) == sum(r.sent for r in reports) == 11

    # 3 rounds × 10 people: 30 e-mails of 3 items each, each item in exactly one e-mail.
    assert len(mail.outbox) == 30
    items = sorted(
        line.split(". ", 1)[1] + f" → {m.to[0]}"
        for m in mail.outbox
        for line in m.body.splitlines()
        if line[:1].isdigit()
    )
    assert len(items) == 90 == len(set(items))
    # 3 robot messages of 30 events each (3 events × 10 people is still 3 events for a robot).
    assert len(robot_server.requests) == 3
    robot_items = [i["event_key"] for r in robot_server.requests for i in r.json["items"]]
    assert sorted(robot_items) == sorted(f"round{r}:{i}" for r in range(3) for i in (1, 2, 3))
    assert set(Delivery.objects.values_list("status", "attempts")) == {(DeliveryStatus.SENT, 1)}
    assert Delivery.objects.filter(endpoint=hook).count() == 9


def test_the_worker_task_runs_every_minute_and_sends_what_is_due(shop, robot_server):
    from complaintdesk.notifications.tasks import deliver_notifications

    robot(shop.store, robot_server.url())
    burst(shop, [], 3)
    # Huey's scheduler asks the task whether it runs at a given (naive UTC) minute: every one.
    task = deliver_notifications.s()
    for hour, minute in ((0, 0), (2, 1), (13, 17), (23, 59)):
        assert task.validate_datetime(dt.datetime(2026, 12, 3, hour, minute))

    # The task uses the real clock; the events above are due since NOW (in the past).
    assert deliver_notifications.call_local() == 1
    assert len(robot_server.requests) == 1
    assert deliver_notifications.call_local() == 0


def test_deleting_a_person_or_a_robot_takes_their_deliveries_along(shop, robot_server):
    with_email(shop.manager)
    hook = robot(shop.store, robot_server.url())
    burst(shop, [shop.manager], 2)
    deliver_due(now=NOW)
    assert Digest.objects.count() == 2

    hook.delete()
    shop.manager.delete()

    assert Delivery.objects.count() == 0
    assert Digest.objects.count() == 0


def test_a_digest_whose_workers_keep_dying_is_given_up_after_max_attempts(shop, robot_server):
    robot(shop.store, robot_server.url())
    burst(shop, [], 1)
    delivery_module.form_digests(NOW)
    at = NOW
    for _ in range(MAX_ATTEMPTS):
        assert claim_next(at) is not None  # claimed, then the worker dies
        at += LEASE

    assert claim_next(at) is None
    d = Delivery.objects.get()
    assert (d.status, d.attempts) == (DeliveryStatus.FAILED, MAX_ATTEMPTS)
    assert d.last_error == "the worker stopped while sending, every time"
    assert robot_server.requests == []
