"""How the REST API knows who is calling: the browser's session, or an integration's token.

The UI's own page scripts use the Django session (with CSRF protection); integrations such as
the dealer management system or a call center send `Authorization: Bearer <token>` with a token
made by `complaintdesk apitoken create`. Either way the caller acts as a `User`, with exactly
that user's store grants and roles.
"""

from django.db import transaction
from ninja.errors import AuthenticationError, HttpError
from ninja.security import HttpBearer, SessionAuth
from ninja.utils import check_csrf

from complaintdesk.org.models import ApiToken
from complaintdesk.org.services import api_token_user


class CsrfFailed(HttpError):
    def __init__(self):
        super().__init__(403, "CSRF check failed")


class InvalidToken(AuthenticationError):
    def __init__(self):
        super().__init__(401, "Invalid API token")


class BearerTokenAuth(HttpBearer):
    """`Authorization: Bearer cd_…` → the token's user.

    A request that presents a token which is unknown, revoked or belongs to an inactive user is
    refused outright (401) instead of falling back to a session cookie: an integration must
    learn that its token stopped working.
    """

    def authenticate(self, request, token):
        user = api_token_user(token.strip()) if token and len(token) <= 200 else None
        if user is None:
            raise InvalidToken()
        return user


class SessionCsrfAuth(SessionAuth):
    """The logged-in browser session, with Django's CSRF check on unsafe methods.

    Ninja's SessionAuth checks CSRF before it looks at the session, so a caller without any
    session would get "CSRF failed" (403) instead of "not authenticated" (401). The check only
    protects a session, so it runs only when there is one.
    """

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if self.csrf and not getattr(request, "_ninja_csrf_exempt", False):
            if check_csrf(request):
                raise CsrfFailed()
        return user


bearer_auth = BearerTokenAuth()
session_auth = SessionCsrfAuth()
# Bearer first: a token request must never be judged by the (absent) session's CSRF cookie.
API_AUTH = [bearer_auth, session_auth]


def api_token_find(prefix: str) -> list[ApiToken]:
    """Tokens whose shown prefix matches: accepts the 8-character prefix or the whole token."""
    prefix = prefix.strip()
    if prefix.startswith("cd_"):
        prefix = prefix[3:]
    prefix = prefix[:8]
    if not prefix:
        return []
    return list(ApiToken.objects.filter(prefix=prefix).select_related("user").order_by("pk"))


@transaction.atomic
def api_token_revoke(*, token: ApiToken) -> bool:
    """Revoke one token for good. Returns False when it was already revoked."""
    return bool(ApiToken.objects.filter(pk=token.pk, revoked=False).update(revoked=True))
