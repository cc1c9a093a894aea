"""The deadline calculation in the API: the same as `complaintdesk due`."""

import datetime as dt

from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from complaintdesk.complaints.schemas import ErrorOut
from complaintdesk.core.errors import NotFound, ValidationFailed
from complaintdesk.deadlines.calendar import Clock, compute_due
from complaintdesk.deadlines.policy import store_calendar
from complaintdesk.org.models import Store
from complaintdesk.org.selectors import visible_store_ids

router = Router(tags=["deadlines"])


class DueIn(Schema):
    at: str = Field(description='Start, "YYYY-MM-DD HH:MM" in the store\'s local time (or ISO 8601 with offset).')
    hours: float | None = Field(None, ge=0, le=10_000)
    clock: str | None = Field(None, description="office or elapsed (with hours)")
    workdays: int | None = Field(None, ge=1, le=1000)
    store: int | None = Field(None, description="Store id; default: Asia/Shanghai, national holidays.")


class DayOut(Schema):
    date: dt.date
    value: float | str


class DueOut(Schema):
    start: str
    clock: str
    amount: float
    due: str = Field(description="ISO 8601 with the store's offset")
    provisional: bool
    unknown_years: list[int]
    counted: list[DayOut]
    skipped: list[DayOut]


@router.get("/due", response={200: DueOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut}, summary="Compute a due time")
def due(request, q: Query[DueIn]):
    """Where a deadline of N office/elapsed hours or N working days from a start would fall, with
    the days counted and skipped (SPEC §9: start day not counted for working days)."""
    store = None
    if q.store is not None:
        if q.store not in visible_store_ids(request.auth):
            raise NotFound(_("No such store."))
        store = Store.objects.get(pk=q.store)
    if (q.workdays is None) == (q.hours is None):
        raise ValidationFailed(_("Give either hours and clock, or workdays."), field="workdays")
    if q.hours is not None and q.clock not in (Clock.OFFICE, Clock.ELAPSED):
        raise ValidationFailed(_("clock must be office or elapsed."), field="clock")
    cal = store_calendar(store)
    try:
        start = dt.datetime.fromisoformat(q.at.strip().replace(" ", "T", 1))
    except ValueError:
        raise ValidationFailed(_("A date and time such as 2026-09-30 17:40."), field="at") from None
    if start.tzinfo is None:
        start = start.replace(tzinfo=cal.tz)  # local wall time of the store
    amount, clock = (q.workdays, Clock.WORKDAYS) if q.workdays is not None else (q.hours, q.clock)
    try:
        result = compute_due(start, amount, clock, cal)
    except (OverflowError, ValueError):
        raise ValidationFailed(_("No due time can be computed from this start."), field="at") from None
    return {
        "start": result.start.isoformat(),
        "clock": clock,
        "amount": amount,
        "due": result.due.isoformat(),
        "provisional": result.provisional,
        "unknown_years": sorted(result.unknown_years),
        "counted": [{"date": d, "value": v} for d, v in result.counted],
        "skipped": [{"date": d, "value": why} for d, why in result.skipped],
    }
