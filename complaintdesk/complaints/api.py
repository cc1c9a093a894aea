"""REST endpoints for complaints, and the directory a client needs to fill them (me, stores).

Thin on purpose: every read starts from the access predicate (selectors.get_complaint_for,
selectors.complaint_list, Complaint.objects.visible_to), every write goes through
services.complaint_create / complaint_update or workflow.perform, and every refusal is a
DomainError that complaintdesk/api.py turns into the one error shape. The caller is
`request.auth`: the session's user or the bearer token's user.
"""

from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Body, Header, Path, Query, Router, Schema, Status

from complaintdesk.complaints import selectors, services, workflow
from complaintdesk.complaints.models import Complaint, IdempotencyKey
from complaintdesk.complaints.schemas import (
    MAX_ID,
    ComplaintCreateIn,
    ComplaintEditIn,
    ComplaintFilterIn,
    ComplaintOut,
    ComplaintPageOut,
    ErrorOut,
    EventOut,
    MeOut,
    StaffOut,
    StoreOut,
    action_doc,
    action_schema,
    action_summary,
    choice,
    complaint_detail,
    complaint_item,
    department_out,
    event_out,
    store_ref,
    user_out,
)
from complaintdesk.core.errors import NotFound, ValidationFailed
from complaintdesk.followup.schemas import ComplaintRefOut
from complaintdesk.org.models import Department, Role, RoleGrant, User
from complaintdesk.org.selectors import grants_by_store, stores_for
from complaintdesk.triage.schemas import ComplaintCreatedOut, triage_record_out
from complaintdesk.triage.selectors import record_for

READ_ERRORS = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
ComplaintId = Path(..., ge=1, le=MAX_ID, description="The complaint's id.")
OptionalBody = Body(None)

complaints_router = Router(tags=["complaints"])
directory_router = Router(tags=["me and stores"])


def _detail(request, complaint_id) -> dict:
    return complaint_detail(selectors.get_complaint_for(request.auth, complaint_id), request.auth)


@complaints_router.get(
    "",
    response={200: ComplaintPageOut, **READ_ERRORS},
    summary="List and filter complaints",
    url_name="complaint-list",
)
def list_complaints(request, filters: Query[ComplaintFilterIn]):
    """The complaints of the caller's stores, newest first, with the UI's filters and a total."""
    f = selectors.ComplaintFilter(
        status=filters.status,
        nature=filters.nature,
        channel=filters.channel,
        severity=filters.severity,
        department=filters.department,
        store=filters.store,
        received_from=filters.received_from,
        received_to=filters.received_to,
        plate=filters.plate.strip(),
        q=filters.q.strip(),
        open_only=filters.open_only,
        due=filters.due,
    )
    qs = selectors.complaint_list(request.auth, f)
    rows = qs[filters.offset : filters.offset + filters.limit]
    now = timezone.now()
    return {
        "count": qs.count(),
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [complaint_item(c, now) for c in rows],
    }


@complaints_router.post(
    "",
    response={200: ComplaintCreatedOut, 201: ComplaintCreatedOut, **WRITE_ERRORS},
    summary="Register a complaint",
    url_name="complaint-create",
)
def create_complaint(
    request,
    payload: ComplaintCreateIn,
    idempotency_key: str | None = Header(
        None,
        alias="Idempotency-Key",
        description="Send the same key again to retry safely: the first complaint is returned "
        "(200) instead of a second one being made (201).",
    ),
):
    """Any member of the store's staff may register a complaint (first-responder duty, SPEC §1).
    It is numbered at once, e.g. FK-202612-0007, per store and month in the store's time zone."""
    user = request.auth
    key = (idempotency_key or "").strip() or None
    # Only decides 200 vs 201; complaint_create itself makes the retry safe, races included.
    replay = key is not None and IdempotencyKey.objects.filter(user=user, key=key).exists()
    data = payload.model_dump()
    given = payload.model_fields_set
    # Issue 6: which of the judgement fields the client decided (the others say nothing about
    # the triage suggestion recorded with the complaint).
    decided = {f for f in ("nature", "severity") if f in given and data[f]}
    if "concerned_department" in given and data["concerned_department"]:
        decided.add("department")
    complaint = services.complaint_create(
        actor=user,
        idempotency_key=key,
        triage={"entry": "api", "decided": decided},
        **{**data, "nature": data["nature"] or ""},
    )
    out = _detail(request, complaint.pk)
    out["triage"] = triage_record_out(record_for(complaint))
    return Status(200 if replay else 201, out)


@complaints_router.get(
    "/by-number/{number}",
    response={200: ComplaintOut, **READ_ERRORS},
    summary="Find a complaint by its form number",
    url_name="complaint-by-number",
)
def complaint_by_number(
    request,
    number: str = Path(..., max_length=30),
    store: int | None = Query(
        None, ge=1, le=MAX_ID, description="Needed only when the number exists in two stores."
    ),
):
    """Form numbers are unique per store; a caller who sees several stores with the same prefix
    names the store when a number is ambiguous (422 on `store`)."""
    qs = Complaint.objects.visible_to(request.auth).filter(number=number.strip())
    if store is not None:
        qs = qs.filter(store_id=store)
    ids = list(qs.values_list("pk", flat=True)[:2])
    if not ids:
        raise NotFound()
    if len(ids) > 1:
        raise ValidationFailed(
            _("This number exists in more than one of your stores: give the store."),
            field="store",
        )
    return _detail(request, ids[0])


@complaints_router.get(
    "/{int:complaint_id}",
    response={200: ComplaintOut, **READ_ERRORS},
    summary="Read a complaint",
    url_name="complaint-detail",
)
def read_complaint(request, complaint_id: int = ComplaintId):
    """The whole feedback form, with `available_actions`: what the caller may do now."""
    return _detail(request, complaint_id)


@complaints_router.patch(
    "/{int:complaint_id}",
    response={200: ComplaintOut, **WRITE_ERRORS},
    summary="Correct a complaint's intake details",
    url_name="complaint-edit",
)
def edit_complaint(request, payload: ComplaintEditIn, complaint_id: int = ComplaintId):
    """Customer service center roles only; the staff complained about are refused (403
    `conflict_of_interest`); a stale `version` is refused (409 `stale_version`)."""
    changes = payload.model_dump(exclude_unset=True)
    version = changes.pop("version")
    services.complaint_update(
        actor=request.auth, complaint_id=complaint_id, expected_version=version, **changes
    )
    return _detail(request, complaint_id)


@complaints_router.get(
    "/{int:complaint_id}/events",
    response={200: list[EventOut], **READ_ERRORS},
    summary="The complaint's timeline",
    url_name="complaint-events",
)
def complaint_events(request, complaint_id: int = ComplaintId):
    """Every change, oldest first: who, what, before and after, when."""
    complaint = selectors.get_complaint_for(request.auth, complaint_id)
    tz = complaint.store.tz
    return [event_out(e, tz) for e in selectors.timeline(complaint)]


class EarlierOut(Schema):
    complaint: ComplaintRefOut
    reasons: list[str]


class SimilarOut(Schema):
    complaint: ComplaintRefOut
    score: float
    shared_words: list[str]


class RelatedOut(Schema):
    earlier_total: int
    earlier: list[EarlierOut]
    similar_open: list[SimilarOut]


@complaints_router.get(
    "/{int:complaint_id}/related",
    response={200: RelatedOut, **READ_ERRORS},
    summary="Repeat and similar complaints",
    url_name="complaint-related",
)
def complaint_related(request, complaint_id: int = ComplaintId):
    """Other complaints of the same customer or vehicle (matched on VIN, plate, phone or the
    identity rows; `reasons` says which: vehicle, vin, plate, customer, phone), newest first, and open complaints of the same store
    whose text is similar (`score` is the cosine of their tokens, from 0.35). Only complaints of
    the stores the caller may see."""
    from complaintdesk.complaints.repeats import related
    from complaintdesk.followup.schemas import complaint_ref

    complaint = selectors.get_complaint_for(request.auth, complaint_id)
    rel = related(request.auth, complaint)
    return {
        "earlier_total": rel.earlier_total,
        "earlier": [
            {"complaint": complaint_ref(e.complaint), "reasons": e.reasons} for e in rel.earlier
        ],
        "similar_open": [
            {
                "complaint": complaint_ref(s.complaint),
                "score": round(s.score, 3),
                "shared_words": s.shared,
            }
            for s in rel.similar
        ],
    }


def _action_view(act: workflow.Action):
    body = action_schema(act)

    def run_action(request, complaint_id: int, payload) -> dict:
        params = payload.model_dump(exclude_unset=True) if payload is not None else {}
        expected = params.pop("expected_version", None)
        workflow.perform(
            act.name, complaint_id, actor=request.auth, expected_version=expected, **params
        )
        return _detail(request, complaint_id)

    if any(f.is_required() for f in body.model_fields.values()):

        def view(request, payload: body, complaint_id: int = ComplaintId):
            return run_action(request, complaint_id, payload)

    else:
        # Nothing required (archive, approve_pending…): an empty request body is fine too.
        def view(request, payload: body = OptionalBody, complaint_id: int = ComplaintId):
            return run_action(request, complaint_id, payload)

    view.__name__ = f"action_{act.name}"
    return view


# One endpoint per workflow action, each with its own documented body (SPEC §4–§6).
for _act in workflow.ACTIONS.values():
    complaints_router.post(
        f"/{{int:complaint_id}}/actions/{_act.name}",
        response={200: ComplaintOut, **WRITE_ERRORS},
        summary=action_summary(_act),
        description=action_doc(_act),
        operation_id=f"complaint_action_{_act.name}",
        url_name=f"complaint-action-{_act.name}",
        tags=["complaint actions"],
    )(_action_view(_act))


# ---------------------------------------------------------------------------------------------
# Directory: who am I, which stores, departments and staff (the ids the complaint calls need).


@directory_router.get("/me", response={200: MeOut, 401: ErrorOut}, summary="The caller")
def me(request):
    user = request.auth
    roles = grants_by_store(user)
    return {
        "id": user.pk,
        "username": user.username,
        "name": str(user),
        "is_absent": user.is_absent,
        "stores": [
            {**store_ref(s), "roles": [choice(Role, r) for r in sorted(roles.get(s.pk, ()))]}
            for s in stores_for(user)
        ],
    }


@directory_router.get(
    "/stores", response={200: list[StoreOut], 401: ErrorOut}, summary="The caller's stores"
)
def stores(request):
    """With their departments (ids for `department`, `concerned_department`, …)."""
    departments = Department.objects.select_related("primary", "secondary").order_by("kind")
    return [
        {
            **store_ref(s),
            "group": {"id": s.group.pk, "code": s.group.code, "name": s.group.name},
            "departments": [
                {
                    **department_out(d),
                    "primary": user_out(d.primary),
                    "secondary": user_out(d.secondary),
                }
                for d in s.departments.all()
            ],
        }
        for s in stores_for(request.auth).prefetch_related(
            Prefetch("departments", queryset=departments)
        )
    ]


@directory_router.get(
    "/stores/{int:store_id}/staff",
    response={200: list[StaffOut], **READ_ERRORS},
    summary="A store's staff and their roles",
)
def store_staff(request, store_id: int = Path(..., ge=1, le=MAX_ID)):
    """User ids for `involved_staff` and `customer_manager`."""
    store = stores_for(request.auth).filter(pk=store_id).first()
    if store is None:
        raise NotFound()
    grants = (
        RoleGrant.objects.filter(Q(store=store) | Q(store__isnull=True, group_id=store.group_id))
        .filter(user__is_active=True)
        .values_list("user_id", "role")
    )
    roles: dict[int, set[str]] = {}
    for user_id, role in grants:
        roles.setdefault(user_id, set()).add(role)
    return [
        {
            **user_out(u),
            "is_absent": u.is_absent,
            "roles": [choice(Role, r) for r in sorted(roles[u.pk])],
        }
        for u in User.objects.filter(pk__in=roles).order_by("username")
    ]
