"""The REST API root: one NinjaAPI, the domain errors mapped to HTTP in one place."""

from ninja import NinjaAPI

from complaintdesk.core.errors import DomainError

api = NinjaAPI(title="complaintdesk API", version="1", urls_namespace="api")


@api.exception_handler(DomainError)
def domain_error(request, exc: DomainError):
    return api.create_response(request, exc.as_dict(), status=exc.http_status)
