"""The REST API root: one NinjaAPI, every refusal mapped to HTTP in one place and one shape.

Every error body reads {"code": …, "detail": …, "errors": [{"field": …, "message": …}]}:
domain refusals (core/errors.py), request validation (wrong types, missing fields, impossible
dates, malformed JSON), authentication and CSRF failures. Bad input is a 4xx, never a 500.
"""

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Router
from ninja.errors import AuthenticationError, HttpError, ValidationError

from complaintdesk.complaints.api import complaints_router, directory_router
from complaintdesk.core.errors import DomainError, NotFound, ValidationFailed
from complaintdesk.deadlines.api import router as deadlines_router
from complaintdesk.followup.api import router as followup_router
from complaintdesk.guidance.api import router as guidance_router
from complaintdesk.org.auth import API_AUTH, CsrfFailed, InvalidToken
from complaintdesk.reports.api import router as reports_router
from complaintdesk.triage.api import router as triage_router
from complaintdesk.warranty.api import router as warranty_router

api = NinjaAPI(
    title="complaintdesk API",
    version="1",
    urls_namespace="api",
    auth=API_AUTH,
    description=(
        "Complaint handling for car dealerships. Authenticate with the browser session (CSRF "
        "token required on writes) or with `Authorization: Bearer <token>` (tokens are made with "
        "`complaintdesk apitoken create USERNAME NAME`). Every refusal has the body "
        '`{"code", "detail", "errors": [{"field", "message"}]}`. Times are ISO 8601 with the '
        "offset of the complaint's store; choice fields carry `code` and `label` (label in the "
        "language of `Accept-Language`, Simplified Chinese by default)."
    ),
)


def error_body(code: str, detail, errors=()) -> dict:
    return {
        "code": code,
        "detail": str(detail),
        "errors": [{"field": field, "message": str(message)} for field, message in errors],
    }


@api.exception_handler(DomainError)
def domain_error(request, exc: DomainError):
    return api.create_response(request, exc.as_dict(), status=exc.http_status)


@api.exception_handler(ValidationError)
def request_invalid(request, exc: ValidationError):
    errors = [(_field(err.get("loc", ())), _message(err)) for err in exc.errors]
    body = error_body(ValidationFailed.code, ValidationFailed.default_message, errors)
    return api.create_response(request, body, status=ValidationFailed.http_status)


@api.exception_handler(AuthenticationError)
def not_authenticated(request, exc: AuthenticationError):
    if isinstance(exc, InvalidToken):
        detail = _("The API token is not valid: it is unknown, revoked, or its user is inactive.")
    else:
        detail = _("Log in, or send the header Authorization: Bearer <token>.")
    response = api.create_response(request, error_body("not_authenticated", detail), status=401)
    response["WWW-Authenticate"] = 'Bearer realm="complaintdesk"'
    return response


@api.exception_handler(CsrfFailed)
def csrf_failed(request, exc: CsrfFailed):
    detail = _("CSRF check failed: send the X-CSRFToken header with the session's CSRF token.")
    return api.create_response(request, error_body("csrf_failed", detail), status=403)


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    if exc.status_code == 400 and isinstance(exc.__cause__, ValueError):
        # Ninja's body parser failed: not JSON, or not UTF-8.
        body = error_body(
            ValidationFailed.code,
            ValidationFailed.default_message,
            [("body", _("The request body is not valid JSON."))],
        )
        return api.create_response(request, body, status=ValidationFailed.http_status)
    code = {403: "not_permitted", 404: "not_found", 429: "throttled"}.get(exc.status_code, "error")
    return api.create_response(request, error_body(code, exc.message), status=exc.status_code)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, NotFound().as_dict(), status=404)


# Names of view parameters that wrap a schema; a client knows only the fields inside them.
_WRAPPER_PARAMS = {"payload", "filters"}


def _field(loc) -> str:
    """('body', 'payload', 'received_at') → 'received_at'; ('query', 'filters', 'status', 0)
    → 'status.0'; ('path', 'complaint_id') → 'complaint_id'."""
    source, *rest = [str(part) for part in loc] or ["body"]
    if rest and rest[0] in _WRAPPER_PARAMS:
        rest = rest[1:]
    return ".".join(rest) or source


def _message(err: dict) -> str:
    """Pydantic's English message, replaced by a translated one for the common cases."""
    kind, ctx = err.get("type", ""), err.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind == "extra_forbidden":
        return _("Unexpected field.")
    if kind == "timezone_aware":
        return _("A date and time with its time zone is required.")
    if kind in {"enum", "literal_error"}:
        return _("Unknown value; expected one of: %(values)s") % {"values": ctx.get("expected")}
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return _("Must be a whole number.")
    if kind in {"bool_parsing", "bool_type"}:
        return _("Must be true or false.")
    if kind == "string_type":
        return _("Must be text.")
    if kind.startswith("date_") and not kind.startswith("datetime"):
        return _("Not a valid date; expected YYYY-MM-DD.")
    if kind.startswith("datetime"):
        return _("Not a valid date and time; expected ISO 8601, e.g. 2026-12-03T16:30:00+08:00.")
    if kind == "greater_than_equal":
        return _("Must be at least %(n)s.") % {"n": ctx.get("ge")}
    if kind == "less_than_equal":
        return _("Must be at most %(n)s.") % {"n": ctx.get("le")}
    if kind == "string_too_long":
        return _("At most %(n)s characters.") % {"n": ctx.get("max_length")}
    if kind == "list_type":
        return _("Must be a list.")
    if kind in {"model_type", "model_attributes_type", "dict_type"}:
        return _("Must be a JSON object.")
    return str(err.get("msg", ""))


api.add_router("/", directory_router)
api.add_router("/complaints", complaints_router)
api.add_router("/deadlines", deadlines_router)
api.add_router("/followup", followup_router)
api.add_router("/reports", reports_router)
api.add_router("/guidance", guidance_router)
api.add_router("/triage", triage_router)
api.add_router("/warranty", warranty_router)

# Last, so that it only catches what no route matched: a wrong URL under /api/ answers in the
# same JSON shape as every other refusal instead of Django's HTML 404 page.
fallback_router = Router(auth=None)


@fallback_router.api_operation(
    ["GET", "POST", "PUT", "PATCH", "DELETE"], "/{path:rest}", include_in_schema=False
)
def no_such_endpoint(request, rest: str):
    raise NotFound(_("No such API endpoint."))


api.add_router("/", fallback_router)
