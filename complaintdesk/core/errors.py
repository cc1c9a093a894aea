"""One exception hierarchy for every refusal the domain makes.

Services raise these; the API maps them to HTTP in `complaintdesk.api`, the UI middleware maps
them to a message or a 404. Each has a stable `code` that clients can rely on and a message
that is translated at render time.
"""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    code = "error"
    http_status = 400
    default_message = _("The request could not be carried out.")

    def __init__(self, message=None, *, field: str | None = None, errors=None):
        self.message = message if message is not None else self.default_message
        # field -> list of messages; a single-field error may be given with `field`.
        self.errors: dict[str, list] = dict(errors or {})
        if field is not None:
            self.errors.setdefault(field, []).append(self.message)
        super().__init__(str(self.message))

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "detail": str(self.message),
            "errors": [
                {"field": field, "message": str(msg)}
                for field, msgs in self.errors.items()
                for msg in msgs
            ],
        }


class NotFound(DomainError):
    """Missing and forbidden look the same: a user must not learn another store's ids."""

    code = "not_found"
    http_status = 404
    default_message = _("Not found.")


class NotPermitted(DomainError):
    code = "not_permitted"
    http_status = 403
    default_message = _("You are not permitted to do this.")


class ConflictOfInterest(NotPermitted):
    code = "conflict_of_interest"
    default_message = _(
        "You are named as a person involved in this complaint and may not handle it (SPEC §1)."
    )


class InvalidTransition(DomainError):
    code = "invalid_transition"
    http_status = 409
    default_message = _("This action is not possible in the complaint's current state.")


class StaleVersion(DomainError):
    code = "stale_version"
    http_status = 409
    default_message = _(
        "Someone else changed this complaint after you opened it. Reload it and apply your change again."
    )


class ValidationFailed(DomainError):
    code = "validation_failed"
    http_status = 422
    default_message = _("Some fields are not valid.")
