"""The outbox worker: form digests, claim one, send it, record the result.

How a burst becomes one message per target: every due delivery not yet sent is grouped per target
(a person's e-mail, a store robot) into a `Digest`, whose members are then fixed; the digest is
sent as one message listing them all (SPEC: 200 breaches after an outage = one message per
recipient and per robot).

Concurrency. Forming and claiming each run in a short transaction that locks the rows it takes
with SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL, so two workers never take the same delivery
or digest; SQLite has no row locks but its writers are serialised (transaction_mode IMMEDIATE takes
the write lock at BEGIN), which gives the same guarantee. A claimed digest is marked `sending`
with a lease (`next_attempt_at` = now + LEASE) and the claim is committed *before* the network
call, so no transaction or lock is held while a robot is slow. The result is recorded with a
conditional update on (status = sending, attempts = the claim's attempt number): a worker whose
lease ran out cannot overwrite the outcome of a later claim.

Exactly-once is impossible across a network; this is at-least-once with a small window:
- once a digest is marked `sent` it is never sent again (nothing claims a sent digest);
- a worker that dies after sending but before marking `sent` leaves the digest `sending`; when
  the lease runs out the next worker sends it again, with the same content and the same id
  (`Digest.uid`: the X-Complaintdesk-Delivery header and the payload's `id` for webhooks, the
  Message-ID for e-mail; each item also carries its delivery id and event key). A receiver that
  remembers ids drops the repeat. The same holds for a timeout whose request actually arrived.
Failures are retried with exponential back-off (1, 2, 4, … minutes, capped at an hour) and given
up after MAX_ATTEMPTS, keeping the last error on the digest and its deliveries.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections import defaultdict
from dataclasses import dataclass

from django.core.mail import get_connection
from django.db import transaction
from django.utils import timezone

from complaintdesk.notifications import formats, selectors, transport
from complaintdesk.notifications.choices import (
    ACTIVE_STATUSES,
    Channel,
    DeliveryStatus,
    EndpointKind,
)
from complaintdesk.notifications.models import Delivery, Digest
from complaintdesk.notifications.transport import SendError

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
BACKOFF_BASE = dt.timedelta(minutes=1)
BACKOFF_CAP = dt.timedelta(hours=1)
# Longer than the slowest send (HTTP and SMTP time out after transport.TIMEOUT_SECONDS).
LEASE = dt.timedelta(minutes=5)
# A digest lists at most this many events; a larger burst becomes several messages.
MAX_DIGEST_ITEMS = 500
# Deliveries grouped per run; more wait for the next run.
FORM_BATCH = 10_000


def backoff(attempts: int) -> dt.timedelta:
    """Wait after the `attempts`-th failed attempt: 1, 2, 4, 8 … minutes, at most BACKOFF_CAP."""
    return min(BACKOFF_BASE * (2 ** max(attempts - 1, 0)), BACKOFF_CAP)


@dataclass
class Report:
    sent: int = 0
    retrying: int = 0
    failed: int = 0

    @property
    def claimed(self) -> int:
        return self.sent + self.retrying + self.failed


def deliver_due(now: dt.datetime | None = None, limit: int = 100) -> Report:
    """Send what is due, at most `limit` digests; safe to run in several workers at once."""
    now = now or timezone.now()
    form_digests(now)
    report = Report()
    for _ in range(limit):
        digest = claim_next(now)
        if digest is None:
            break
        send_and_record(digest, now, report)
    return report


def form_digests(now: dt.datetime) -> list[Digest]:
    """Group due, ungrouped deliveries into one digest per target (in one transaction).

    The rows are locked waiting, not skipping: two workers skipping each other's locked rows
    would split one person's messages between two digests (two e-mails). The second worker
    waits for the first to commit, then finds those rows grouped and leaves them."""
    with transaction.atomic():
        rows = list(
            Delivery.objects.select_for_update()
            .filter(status=DeliveryStatus.PENDING, digest__isnull=True, next_attempt_at__lte=now)
            .order_by("next_attempt_at", "id")
            .only("id", "channel", "user_id", "endpoint_id")[:FORM_BATCH]
        )
        groups: dict[tuple, list[int]] = defaultdict(list)
        for row in rows:
            groups[(row.channel, row.user_id, row.endpoint_id)].append(row.pk)
        digests = []
        for (channel, user_id, endpoint_id), ids in groups.items():
            for start in range(0, len(ids), MAX_DIGEST_ITEMS):
                digest = Digest.objects.create(
                    channel=channel,
                    user_id=user_id,
                    endpoint_id=endpoint_id,
                    next_attempt_at=now,
                    created_at=now,
                )
                Delivery.objects.filter(pk__in=ids[start : start + MAX_DIGEST_ITEMS]).update(
                    digest=digest
                )
                digests.append(digest)
    return digests


def claim_next(now: dt.datetime) -> Digest | None:
    """Take the oldest due digest: pending and due, or `sending` with its lease run out."""
    while True:
        with transaction.atomic():
            digest = (
                Digest.objects.select_for_update(skip_locked=True)
                .filter(status__in=ACTIVE_STATUSES, next_attempt_at__lte=now)
                .order_by("next_attempt_at", "id")
                .first()
            )
            if digest is None:
                return None
            if digest.attempts >= MAX_ATTEMPTS:
                # Only reachable when workers kept dying while sending it: give up, take the next.
                why = digest.last_error or "the worker stopped while sending, every time"
                _record(digest, status=DeliveryStatus.FAILED, error=why, at=now)
                continue
            digest.status = DeliveryStatus.SENDING
            digest.attempts += 1
            digest.next_attempt_at = now + LEASE
            digest.save(update_fields=["status", "attempts", "next_attempt_at"])
            _mirror(digest)
            return digest


def send_and_record(digest: Digest, now: dt.datetime, report: Report) -> None:
    items = list(
        digest.deliveries.select_related("store", "complaint").order_by("created_at", "id")
    )
    try:
        send(digest, items)
    except SendError as exc:
        _failed(digest, str(exc), now, report, permanent=exc.permanent)
    except Exception as exc:
        # A bug in a format must not stop the worker from sending the others.
        log.exception("notification digest %s could not be sent", digest.uid)
        _failed(digest, f"{type(exc).__name__}: {exc}", now, report, permanent=False)
    else:
        if _record(digest, status=DeliveryStatus.SENT, error="", at=now, sent_at=now):
            report.sent += 1


def _failed(digest: Digest, error: str, now, report: Report, *, permanent: bool) -> None:
    error = error[:2000]
    if permanent or digest.attempts >= MAX_ATTEMPTS:
        if _record(digest, status=DeliveryStatus.FAILED, error=error, at=now):
            report.failed += 1
        log.warning("notification digest %s failed for good: %s", digest.uid, error)
        return
    retry_at = now + backoff(digest.attempts)
    if _record(digest, status=DeliveryStatus.PENDING, error=error, at=retry_at):
        report.retrying += 1
    log.info("notification digest %s failed (attempt %d): %s", digest.uid, digest.attempts, error)


def _record(digest: Digest, *, status, error: str, at: dt.datetime, sent_at=None) -> bool:
    """Write the outcome of this claim, unless another worker has claimed the digest since.
    `at` becomes next_attempt_at (the retry time for a pending digest)."""
    with transaction.atomic():
        changed = Digest.objects.filter(
            pk=digest.pk, status__in=ACTIVE_STATUSES, attempts=digest.attempts
        ).update(status=status, last_error=error, next_attempt_at=at, sent_at=sent_at)
        if not changed:
            log.warning("notification digest %s was claimed again meanwhile", digest.uid)
            return False
        digest.status, digest.last_error, digest.next_attempt_at, digest.sent_at = (
            status,
            error,
            at,
            sent_at,
        )
        _mirror(digest)
    return True


def _mirror(digest: Digest) -> None:
    Delivery.objects.filter(digest=digest).update(
        status=digest.status,
        attempts=digest.attempts,
        next_attempt_at=digest.next_attempt_at,
        last_error=digest.last_error,
        sent_at=digest.sent_at,
    )


# --- the channels -----------------------------------------------------------------------------


def send(digest: Digest, items: list[Delivery]) -> None:
    if not items:
        return
    if digest.channel == Channel.EMAIL:
        send_email(digest, items)
    else:
        send_webhook(digest, items)


def send_email(digest: Digest, items: list[Delivery]) -> None:
    user = digest.user
    # Checked at send time too: the person may have left, lost the address or turned e-mail off
    # since the event was queued.
    if not user.is_active or not user.email:
        raise SendError("the recipient has no active e-mail address", permanent=True)
    if not selectors.wants_email(user):
        raise SendError("the recipient turned e-mail off", permanent=True)
    connection = get_connection(timeout=transport.TIMEOUT_SECONDS)
    try:
        formats.email_message(digest, items, connection=connection).send()
    except OSError as exc:  # smtplib errors are OSErrors
        raise SendError(f"{type(exc).__name__}: {exc}") from None


def send_webhook(digest: Digest, items: list[Delivery]) -> None:
    endpoint = digest.endpoint
    if not endpoint.active:
        raise SendError("the robot was switched off", permanent=True)
    uid = str(digest.uid)
    headers = {"X-Complaintdesk-Delivery": uid}
    url = endpoint.url
    if endpoint.kind == EndpointKind.GENERIC:
        sent_at = timezone.now()
        body = transport.encode_json(formats.generic_payload(digest, items, now=sent_at))
        headers["X-Complaintdesk-Timestamp"] = str(int(sent_at.timestamp()))
        if endpoint.secret:
            headers["X-Complaintdesk-Signature"] = transport.hmac_signature(endpoint.secret, body)
        transport.post(url, body, headers)
        return
    if endpoint.kind == EndpointKind.WECOM:
        body = transport.encode_json(formats.wecom_payload(items))
    else:
        body = transport.encode_json(formats.dingtalk_payload(items))
        if endpoint.secret:
            url = transport.dingtalk_signed_url(url, endpoint.secret, int(time.time() * 1000))
    _status, answer = transport.post(url, body, headers)
    transport.check_robot_answer(answer)
