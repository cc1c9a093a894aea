"""Writes for people and places: stores with their departments, users, grants, API tokens."""

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from complaintdesk.org.models import (
    ApiToken,
    DealerGroup,
    Department,
    DepartmentKind,
    RoleGrant,
    Store,
    User,
)


@transaction.atomic
def store_create(
    *, group: DealerGroup, code: str, name: str, timezone_name: str = "Asia/Shanghai"
) -> Store:
    """A store with one department of every kind of SPEC §1."""
    store, _created = Store.objects.get_or_create(
        code=code, defaults={"group": group, "name": name, "timezone": timezone_name}
    )
    for kind in DepartmentKind:
        Department.objects.get_or_create(store=store, kind=kind, defaults={"name": str(kind.label)})
    return store


def role_grant(
    *,
    user: User,
    role: str,
    store: Store | None = None,
    group: DealerGroup | None = None,
    department: Department | None = None,
) -> RoleGrant:
    group = group or store.group
    grant, _created = RoleGrant.objects.get_or_create(
        user=user, group=group, store=store, role=role, defaults={"department": department}
    )
    return grant


def department_set_responsible(
    *, department: Department, primary: User | None, secondary: User | None
) -> None:
    Department.objects.filter(pk=department.pk).update(primary=primary, secondary=secondary)
    department.primary, department.secondary = primary, secondary


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Returns the token row and the raw key, which is shown once and never stored."""
    raw = "cd_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, prefix=raw[3:11], key_hash=_hash(raw))
    return token, raw


def api_token_user(raw: str) -> User | None:
    token = (
        ApiToken.objects.filter(key_hash=_hash(raw), revoked=False).select_related("user").first()
    )
    if token is None or not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user
