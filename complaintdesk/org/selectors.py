"""Reads about people and places. Store access is decided here and nowhere else."""

from django.db import models
from django.db.models import Q

from complaintdesk.org.models import Department, DepartmentKind, Role, RoleGrant, Store, User


def visible_store_ids(user) -> frozenset[int]:
    """The stores a user may see: direct grants plus every store of a group-level grant.

    Superuser and staff flags grant nothing here on purpose (a Django admin account is not a
    licence to read every store's complaints).
    """
    if user is None or not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_visible_store_ids", None)
    if cached is not None:
        return cached
    grants = RoleGrant.objects.filter(user=user)
    ids = set(grants.filter(store__isnull=False).values_list("store_id", flat=True))
    group_ids = grants.filter(store__isnull=True).values_list("group_id", flat=True)
    ids |= set(Store.objects.filter(group_id__in=group_ids).values_list("id", flat=True))
    result = frozenset(ids)
    user._visible_store_ids = result
    return result


def roles_in_store(user, store: Store) -> frozenset[str]:
    """The roles a user holds in a store, counting group-level grants."""
    if user is None or not user.is_authenticated:
        return frozenset()
    cache = user.__dict__.setdefault("_roles_by_store", {})
    if store.pk not in cache:
        cache[store.pk] = frozenset(
            RoleGrant.objects.filter(user=user)
            .filter(Q(store=store) | Q(store__isnull=True, group_id=store.group_id))
            .values_list("role", flat=True)
        )
    return cache[store.pk]


def grants_by_store(user) -> dict[int, frozenset[str]]:
    """store id -> roles, for every store the user sees (used to build "my work" queries)."""
    result: dict[int, set[str]] = {}
    for grant in RoleGrant.objects.filter(user=user).select_related("group"):
        store_ids = (
            [grant.store_id]
            if grant.store_id
            else list(Store.objects.filter(group_id=grant.group_id).values_list("id", flat=True))
        )
        for store_id in store_ids:
            result.setdefault(store_id, set()).add(grant.role)
    return {k: frozenset(v) for k, v in result.items()}


def stores_for(user):
    return Store.objects.filter(id__in=visible_store_ids(user)).select_related("group")


def department_of(store: Store, kind: str) -> Department | None:
    return (
        Department.objects.filter(store=store, kind=kind)
        .select_related("primary", "secondary")
        .first()
    )


def users_with_roles(store: Store, roles) -> "models.QuerySet[User]":
    """Active users holding any of these roles in the store (directly or group-wide)."""
    return User.objects.filter(
        Q(grants__store=store) | Q(grants__store__isnull=True, grants__group_id=store.group_id),
        grants__role__in=list(roles),
        is_active=True,
    ).distinct()


__all__ = [
    "DepartmentKind",
    "Role",
    "department_of",
    "grants_by_store",
    "roles_in_store",
    "stores_for",
    "users_with_roles",
    "visible_store_ids",
]
