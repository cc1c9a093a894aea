"""`complaintdesk apitoken create USERNAME NAME | revoke PREFIX | list [USERNAME]`.

A token acts as its user, with that user's store grants and roles: give an integration (DMS,
call center) its own user with only the roles it needs. The token is printed once, on stdout
alone so that a script can capture it; only its hash is stored.
"""

from django.core.management.base import BaseCommand, CommandError

from complaintdesk.org.auth import api_token_find, api_token_revoke
from complaintdesk.org.models import ApiToken, User
from complaintdesk.org.services import api_token_create


class Command(BaseCommand):
    help = "Create, revoke or list API tokens for integrations."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        create = sub.add_parser("create", help="Create a token; it is printed once.")
        create.add_argument("username")
        create.add_argument("name", help="What the token is for, e.g. 'DMS' or 'call center'.")
        revoke = sub.add_parser("revoke", help="Revoke a token by the prefix `list` shows.")
        revoke.add_argument("prefix")
        listing = sub.add_parser("list", help="List tokens (never the tokens themselves).")
        listing.add_argument("username", nargs="?")

    def handle(self, *args, subcommand, **options):
        return getattr(self, f"_{subcommand}")(**options)

    def _create(self, *, username, name, **_options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        if not user.is_active:
            raise CommandError(f"User {username!r} is inactive; its token would not work.")
        name = name.strip()
        if not name or len(name) > 100:
            raise CommandError("The name must be 1 to 100 characters.")
        token, raw = api_token_create(user=user, name=name)
        self.stdout.write(raw)
        self.stderr.write(
            f"Token {token.prefix}… for {user.username} ({name}). "
            "Store it now: it cannot be shown again."
        )

    def _revoke(self, *, prefix, **_options):
        matches = api_token_find(prefix)
        active = [t for t in matches if not t.revoked]
        if not matches:
            raise CommandError(f"No token with prefix {prefix!r}.")
        if len(active) > 1:
            names = ", ".join(f"{t.name} ({t.user.username})" for t in active)
            raise CommandError(f"Prefix {prefix!r} matches several tokens: {names}.")
        if not active:
            self.stdout.write(f"Token {matches[0].prefix}… was already revoked.")
            return
        api_token_revoke(token=active[0])
        self.stdout.write(
            f"Revoked token {active[0].prefix}… ({active[0].name}, {active[0].user.username})."
        )

    def _list(self, *, username=None, **_options):
        tokens = ApiToken.objects.select_related("user").order_by("user__username", "created_at")
        if username:
            tokens = tokens.filter(user__username=username)
        for t in tokens:
            used = t.last_used_at.isoformat(timespec="seconds") if t.last_used_at else "never"
            state = "revoked" if t.revoked else "active"
            self.stdout.write(f"{t.prefix}  {state:8} {t.user.username:20} {t.name}  used: {used}")
