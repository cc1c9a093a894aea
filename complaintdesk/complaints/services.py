"""Writes that are not state transitions: intake (numbering), corrections, availability.

State changes live in `workflow.py`; both write the timeline in the same transaction.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaintdesk.complaints.choices import (
    EDITABLE_STATES,
    MIN_TIER_FOR_SEVERITY,
    Channel,
    EventKind,
    Nature,
    Severity,
    Status,
    StepKind,
)
from complaintdesk.complaints.models import (
    Complaint,
    ComplaintEvent,
    Customer,
    FormCounter,
    IdempotencyKey,
    Step,
    Vehicle,
)
from complaintdesk.complaints.normalize import (
    is_valid_phone,
    is_valid_plate,
    is_valid_vin,
    normalize_phone,
    normalize_plate,
    normalize_vin,
)
from complaintdesk.complaints.regulatory import open_regulatory
from complaintdesk.complaints.workflow import (
    MAX_TEXT,
    _iso,
    assignee_for,
    build_search_text,
    lock_complaint,
    open_step,
)
from complaintdesk.core.errors import (
    ConflictOfInterest,
    InvalidTransition,
    NotFound,
    NotPermitted,
    StaleVersion,
    ValidationFailed,
)
from complaintdesk.org.models import CS_CENTER_ROLES, Department, Role, Store, User
from complaintdesk.org.selectors import roles_in_store, visible_store_ids
from complaintdesk.triage.services import triage_record_create

# Receipt times a little ahead of the server clock are tolerated (a phone's clock, a tablet).
FUTURE_TOLERANCE = dt.timedelta(minutes=10)
EARLIEST_RECEIPT = dt.datetime(1980, 1, 1, tzinfo=dt.UTC)

# Intake fields a CS user may correct later, with their length limits.
TEXT_FIELDS: dict[str, tuple[int, bool]] = {
    # field: (max length, required)
    "summary": (200, True),
    "description": (MAX_TEXT, True),
    "location": (200, False),
    "contact_name": (100, False),
    "contact_phone": (40, False),
    "result_so_far": (MAX_TEXT, False),
    "customer_demand": (MAX_TEXT, False),
    "repair_order": (40, False),
    "sales_contract": (40, False),
    "involved_staff_note": (200, False),
}
PARTY_FIELDS: dict[str, int] = {
    "customer_name": 100,
    "customer_phone": 40,
    "plate": 20,
    "vin": 30,  # as typed; the stored VIN is the normalised 17 characters
    "vehicle_brand": 60,
    "vehicle_model": 120,
}


def _err(errors, name, message):
    errors.setdefault(name, []).append(message)


def _clean_text(errors, name, value, max_length, required) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        _err(errors, name, _("Must be text."))
        return ""
    value = value.strip()
    if required and not value:
        _err(errors, name, _("This field is required."))
    elif len(value) > max_length:
        _err(
            errors,
            name,
            _("At most %(n)d characters (got %(got)d).") % {"n": max_length, "got": len(value)},
        )
    return value


def _clean_party(errors, data: dict) -> dict:
    out = {
        name: _clean_text(errors, name, data.get(name), n, False)
        for name, n in PARTY_FIELDS.items()
    }
    if out["plate"] and not is_valid_plate(out["plate"]):
        _err(
            errors,
            "plate",
            _("“%(v)s” is not a valid plate number (e.g. 京A12345, 粤B·D12345).")
            % {"v": out["plate"]},
        )
    if out["vin"] and not is_valid_vin(out["vin"]):
        _err(errors, "vin", _("A VIN has 17 letters and digits, without I, O or Q."))
    if out["customer_phone"] and not is_valid_phone(out["customer_phone"]):
        _err(
            errors,
            "customer_phone",
            _("“%(v)s” is not a phone number.") % {"v": out["customer_phone"]},
        )
    return out


def _check_contact_phone(errors, value: str) -> None:
    if value and not is_valid_phone(value):
        _err(errors, "contact_phone", _("“%(v)s” is not a phone number.") % {"v": value})


def _clean_involved(errors, store: Store, ids) -> list[User]:
    ids = list(ids or [])
    users = list(User.objects.filter(pk__in=[i for i in ids if str(i).isdigit()]))
    if len(users) != len(set(ids)) or any(not roles_in_store(u, store) for u in users):
        _err(errors, "involved_staff", _("Only staff of this store can be named as involved."))
    return users


def _party_records(
    store: Store, party: dict, *, correct: bool = False
) -> tuple[Customer | None, Vehicle | None]:
    """Find or create the customer (by phone) and vehicle (by VIN, then plate) a form refers to.

    These are shared identities that match later complaints. On intake a known one only gains what
    it lacked; on a correction (`correct`) it takes the corrected values (a mistyped or new plate
    for the same VIN). Either way no other form changes: each form keeps its own copy of what it
    says (Complaint.customer_name, plate, …)."""
    customer = None
    phone = normalize_phone(party["customer_phone"])
    if phone:
        customer = Customer.objects.filter(store=store, phone_normalized=phone).first()
    if customer is None and (party["customer_name"] or phone):
        customer = Customer.objects.create(
            store=store,
            name=party["customer_name"] or str(_("(name not given)")),
            phone=party["customer_phone"],
            phone_normalized=phone,
        )

    vehicle = None
    vin = normalize_vin(party["vin"])
    plate = normalize_plate(party["plate"])
    if vin:
        vehicle = Vehicle.objects.filter(store=store, vin=vin).first()
    if vehicle is None and plate:
        vehicle = Vehicle.objects.filter(store=store, plate_normalized=plate).first()
    if vehicle is None and (vin or plate or party["vehicle_model"] or party["vehicle_brand"]):
        vehicle = Vehicle.objects.create(
            store=store,
            plate=party["plate"],
            plate_normalized=plate,
            vin=vin,
            brand=party["vehicle_brand"],
            model=party["vehicle_model"],
        )
    elif vehicle is not None:
        updates = {}
        for field, value in (
            ("vin", vin),
            ("plate", party["plate"]),
            ("brand", party["vehicle_brand"]),
            ("model", party["vehicle_model"]),
        ):
            if (
                value
                and (correct or not getattr(vehicle, field))
                and getattr(vehicle, field) != value
            ):
                updates[field] = value
        if "plate" in updates:
            updates["plate_normalized"] = plate
        if updates:
            Vehicle.objects.filter(pk=vehicle.pk).update(**updates)
            for k, v in updates.items():
                setattr(vehicle, k, v)
    return customer, vehicle


def next_form_number(store: Store, now: dt.datetime) -> str:
    """Take the next number of the store's month, e.g. FK-202612-0007 (SPEC §2).

    Must run inside the transaction that inserts the complaint: the counter row stays locked
    until commit, so concurrent creators queue, and a rollback returns the number (no gaps).
    """
    period = timezone.localtime(now, store.tz).strftime("%Y%m")
    if not FormCounter.objects.filter(store=store, period=period).exists():
        try:
            with transaction.atomic():  # savepoint: a concurrent first insert of the month wins
                FormCounter.objects.create(store=store, period=period, last_number=0)
        except IntegrityError:
            pass
    counter = FormCounter.objects.select_for_update().get(store=store, period=period)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return f"{store.form_prefix}-{period}-{counter.last_number:04d}"


def _store_for(actor, store) -> Store:
    store_id = store.pk if isinstance(store, Store) else store
    if (
        store_id is None
        or not str(store_id).isdigit()
        or int(store_id) not in visible_store_ids(actor)
    ):
        raise NotFound(_("No such store."))
    return Store.objects.get(pk=store_id)


def complaint_create(
    *,
    actor,
    store,
    channel: str,
    received_at: dt.datetime,
    summary: str,
    description: str,
    idempotency_key: str | None = None,
    nature: str = "",
    severity: str = Severity.ORDINARY,
    concerned_department=None,
    involved_staff=(),
    source: str = "",
    source_ref: str = "",
    source_category: str = "",
    now: dt.datetime | None = None,
    triage: dict | None = None,
    **fields,
) -> Complaint:
    """Receive a complaint and number it at once (SPEC §2, first-responder duty SPEC §1).

    Any member of the store's staff may register one. With an idempotency key, a retry (a
    double-clicked submit, an API POST sent twice) returns the complaint the first call made.
    """
    store = _store_for(actor, store)
    if not roles_in_store(actor, store):
        raise NotPermitted(_("You hold no role in this store."))
    if idempotency_key:
        if len(idempotency_key) > 100:
            raise ValidationFailed(_("At most 100 characters."), field="idempotency_key")
        earlier = (
            IdempotencyKey.objects.filter(user=actor, key=idempotency_key)
            .select_related("complaint")
            .first()
        )
        if earlier is not None:
            return earlier.complaint
    now = now or timezone.now()

    errors: dict = {}
    unknown = set(fields) - set(TEXT_FIELDS) - set(PARTY_FIELDS)
    for name in sorted(unknown):
        _err(errors, name, _("Unexpected field."))
    if channel not in Channel.values:
        _err(
            errors,
            "channel",
            _("Unknown channel %(v)r; expected one of: %(all)s")
            % {"v": channel, "all": ", ".join(Channel.values)},
        )
    if nature and nature not in Nature.values:
        _err(
            errors,
            "nature",
            _("Unknown nature %(v)r; expected one of: %(all)s")
            % {"v": nature, "all": ", ".join(Nature.values)},
        )
    if (severity or Severity.ORDINARY) not in Severity.values:
        _err(
            errors,
            "severity",
            _("Unknown severity %(v)r; expected one of: %(all)s")
            % {"v": severity, "all": ", ".join(Severity.values)},
        )
    if not isinstance(received_at, dt.datetime) or timezone.is_naive(received_at):
        _err(errors, "received_at", _("A date and time with its time zone is required."))
    elif received_at > now + FUTURE_TOLERANCE:
        _err(errors, "received_at", _("The time of receipt lies in the future."))
    elif received_at < EARLIEST_RECEIPT:
        _err(errors, "received_at", _("The time of receipt is before 1980."))
    texts = {
        name: _clean_text(
            errors,
            name,
            {"summary": summary, "description": description, **fields}.get(name),
            n,
            req,
        )
        for name, (n, req) in TEXT_FIELDS.items()
    }
    party = _clean_party(errors, fields)
    _check_contact_phone(errors, texts.get("contact_phone", ""))
    staff = _clean_involved(errors, store, involved_staff)
    dept = None
    if concerned_department not in (None, ""):
        if str(concerned_department).isdigit():
            dept = Department.objects.filter(pk=concerned_department, store=store).first()
        if dept is None:
            _err(errors, "concerned_department", _("No such department in this store."))
    if source_ref and len(source_ref) > 100:
        _err(errors, "source_ref", _("At most 100 characters."))
    if errors:
        raise ValidationFailed(errors=errors)

    try:
        with transaction.atomic():
            customer, vehicle = _party_records(store, party)
            complaint = Complaint(
                store=store,
                number=next_form_number(store, now),
                channel=channel,
                received_at=received_at,
                customer=customer,
                vehicle=vehicle,
                received_by=actor,
                nature=nature or "",
                severity=severity or Severity.ORDINARY,
                concerned_department=dept,
                source=source[:200],
                source_ref=source_ref,
                source_category=source_category[:300],
                **texts,
            )
            _set_party_fields(complaint, party)
            complaint.tier = MIN_TIER_FOR_SEVERITY[complaint.severity]
            complaint.search_text = build_search_text(complaint)
            complaint.save()
            complaint.involved_staff.set(staff)
            # SPEC §2: the complaint must reach the CS center within 1 h of receipt.
            complaint.current_step = open_step(complaint, now=now, started_at=received_at)
            complaint.save(update_fields=["current_step"])
            # SPEC §9: tell the consumer within 7 working days how the complaint is handled.
            open_regulatory(complaint, StepKind.CONSUMER_NOTICE, start=received_at)
            ComplaintEvent.objects.create(
                complaint=complaint,
                step=complaint.current_step,
                actor=actor,
                kind=EventKind.CREATED,
                action="create",
                to_status=complaint.status,
                data={
                    "number": complaint.number,
                    "channel": channel,
                    "received_at": received_at.isoformat(),
                    "due_at": _iso(complaint.current_step.due_at)
                    if complaint.current_step.due_at
                    else None,
                    "assignee_name": str(complaint.current_step.assignee or ""),
                    "source": source,
                    "source_ref": source_ref,
                },
                created_at=now,
            )
            # Issue 6: what the triage suggested beside what the filer chose (`triage`: entry
            # channel and decided fields, see triage.services.triage_record_create).
            triage_record_create(complaint=complaint, actor=actor, now=now, **(triage or {}))
            if idempotency_key:
                IdempotencyKey.objects.create(user=actor, key=idempotency_key, complaint=complaint)
    except IntegrityError:
        # Lost a race with the same idempotency key or the same import reference: the other
        # transaction committed first, and everything of ours was rolled back.
        if idempotency_key:
            earlier = IdempotencyKey.objects.filter(user=actor, key=idempotency_key).first()
            if earlier is not None:
                return earlier.complaint
        if source_ref:
            existing = Complaint.objects.filter(
                store=store, source=source[:200], source_ref=source_ref
            ).first()
            if existing is not None:
                return existing
        raise
    return complaint


EDIT_ROLES = CS_CENTER_ROLES


def complaint_update(*, actor, complaint_id, expected_version: int, **changes) -> Complaint:
    """Correct intake details (text, customer, vehicle, staff involved) of an open complaint.

    A stale form (someone saved in between) is refused, not merged: the user reloads.
    """
    with transaction.atomic():
        c = lock_complaint(complaint_id, actor)
        if expected_version is None or expected_version != c.version:
            raise StaleVersion()
        if c.status not in EDITABLE_STATES:
            raise InvalidTransition(
                _("A complaint that is “%(status)s” can no longer be changed.")
                % {"status": c.get_status_display()}
            )
        if c.involved_staff.filter(pk=actor.pk).exists():
            raise ConflictOfInterest()
        if not roles_in_store(actor, c.store) & EDIT_ROLES:
            raise NotPermitted(_("Only the customer service center may correct a form."))

        errors: dict = {}
        unknown = (
            set(changes) - set(TEXT_FIELDS) - set(PARTY_FIELDS) - {"channel", "involved_staff"}
        )
        for name in sorted(unknown):
            _err(errors, name, _("Unexpected field."))
        before = _intake_snapshot(c)
        new_texts = {
            name: _clean_text(
                errors, name, changes[name], TEXT_FIELDS[name][0], TEXT_FIELDS[name][1]
            )
            for name in TEXT_FIELDS
            if name in changes
        }
        _check_contact_phone(errors, new_texts.get("contact_phone", ""))
        if "channel" in changes and changes["channel"] not in Channel.values:
            _err(errors, "channel", _("Unknown channel %(v)r") % {"v": changes["channel"]})
        party_given = any(name in changes for name in PARTY_FIELDS)
        party = _clean_party(
            errors, {**before["party"], **{k: v for k, v in changes.items() if k in PARTY_FIELDS}}
        )
        staff = (
            _clean_involved(errors, c.store, changes["involved_staff"])
            if "involved_staff" in changes
            else None
        )
        if errors:
            raise ValidationFailed(errors=errors)

        for name, value in new_texts.items():
            setattr(c, name, value)
        if "channel" in changes:
            c.channel = changes["channel"]
        if party_given:
            c.customer, c.vehicle = _party_records(c.store, party, correct=True)
            _set_party_fields(c, party)
        if staff is not None:
            c.involved_staff.set(staff)
        after = _intake_snapshot(c)
        diff = {
            k: [before["flat"][k], after["flat"][k]]
            for k in before["flat"]
            if before["flat"][k] != after["flat"][k]
        }
        if not diff:
            return c
        c.version += 1
        c.search_text = build_search_text(c)
        c.save()
        ComplaintEvent.objects.create(
            complaint=c,
            actor=actor,
            kind=EventKind.EDITED,
            action="edit",
            from_status=c.status,
            to_status=c.status,
            changes=diff,
            created_at=timezone.now(),
        )
        if staff is not None and c.current_step_id:
            reassign_step(c.current_step, actor=actor)
    return c


def _set_party_fields(c: Complaint, party: dict) -> None:
    for name in PARTY_FIELDS:
        setattr(c, name, party[name])
    c.vin = normalize_vin(party["vin"])


def _intake_snapshot(c: Complaint) -> dict:
    party = {name: getattr(c, name) for name in PARTY_FIELDS}
    flat = {name: getattr(c, name) for name in TEXT_FIELDS}
    flat.update(party)
    flat["channel"] = c.channel
    flat["involved_staff"] = sorted(c.involved_staff.values_list("pk", flat=True)) if c.pk else []
    return {"party": party, "flat": flat}


_KEEP = object()


def reassign_step(step: Step, *, actor, to=_KEEP, now=None) -> None:
    """Give an open step to `to`, or to whoever should have it now (assignee_for); record it on
    the timeline when that changes. The actor is None when the system does it (a breach)."""
    if to is _KEEP:
        _department, person = assignee_for(step.complaint, step.kind)
        if (
            person is None
            and step.assignee_id
            and not step.assignee.is_absent
            and not step.complaint.involved_staff.filter(pk=step.assignee_id).exists()
        ):
            return  # nobody better: keep the present assignee
    else:
        person = to
    if (person.pk if person else None) == step.assignee_id:
        return
    before = str(step.assignee or "")
    step.assignee = person
    step.save(update_fields=["assignee"])
    ComplaintEvent.objects.create(
        complaint=step.complaint,
        step=step,
        actor=actor,
        kind=EventKind.ASSIGNED,
        action="reassign",
        from_status=step.complaint.status,
        to_status=step.complaint.status,
        changes={"assignee": [before, str(person or "")]},
        data={
            "step": step.kind,
            "assignee": person.pk if person else None,
            "assignee_name": str(person or ""),
            "due_at": _iso(step.due_at),
        },
        created_at=now or timezone.now(),
    )


def staff_set_absent(*, actor, user: User, absent: bool) -> int:
    """Mark someone absent (or back on duty). Their open steps go to the secondary responsible
    person (SPEC §1: a complaint never waits because someone is resting). Returns how many steps
    moved. A user may set their own state; a CS director or store manager of a shared store may
    set anyone's there."""
    if actor.pk != user.pk:
        shared = visible_store_ids(actor) & visible_store_ids(user)
        if not any(
            roles_in_store(actor, store) & {Role.CS_DIRECTOR, Role.STORE_MANAGER}
            for store in Store.objects.filter(pk__in=shared)
        ):
            raise NotPermitted()
    moved = 0
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(is_absent=absent)
        user.is_absent = absent
        steps = Step.objects.filter(finished_at__isnull=True).select_related(
            "complaint__store", "assignee"
        )
        # Absent: move what they hold. Back: take back what their department's steps would give them.
        candidates = (
            steps.filter(assignee=user) if absent else steps.filter(department__primary=user)
        )
        for step in candidates:
            old = step.assignee_id
            reassign_step(step, actor=actor)
            moved += int(step.assignee_id != old)
    return moved


def complaint_for_number(actor, number: str, *, store=None) -> Complaint:
    """Look a form up by its number; store access is checked like any other read. Numbers are
    unique per store, so a user who sees several stores may have to say which."""
    matches = Complaint.objects.visible_to(actor).filter(number=number.strip())
    if store is not None:
        matches = matches.filter(store=store)
    found = list(matches[:2])
    if not found:
        raise NotFound()
    if len(found) > 1:
        raise ValidationFailed(
            _("Several of your stores have a form with this number; choose the store."),
            field="store",
        )
    return found[0]


__all__ = [
    "Status",
    "complaint_create",
    "complaint_for_number",
    "complaint_update",
    "next_form_number",
    "staff_set_absent",
]
