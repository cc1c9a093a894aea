"""People and places (SPEC §1): dealer group → store → department; users and their roles."""

import zoneinfo

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CS_DIRECTOR = "cs_director", _("Customer service director")
    CUSTOMER_MANAGER = "customer_manager", _("Customer manager")
    CS_SPECIALIST = "cs_specialist", _("Customer service specialist")
    SERVICE_ADVISOR = "service_advisor", _("Service advisor")
    CALLBACK_AGENT = "callback_agent", _("Callback agent")
    RECEPTIONIST = "receptionist", _("Receptionist")
    DEPARTMENT_MANAGER = "department_manager", _("Department manager")
    TECHNICAL_DIRECTOR = "technical_director", _("Technical director")
    MANAGEMENT = "management", _("Management department")
    GENERAL_MANAGER = "general_manager", _("General manager")
    FINANCE = "finance", _("Finance")
    STORE_MANAGER = "store_manager", _("Store manager")


# The customer service center: who numbers, accepts and follows a complaint (SPEC §2, §4).
CS_CENTER_ROLES = frozenset({Role.CS_DIRECTOR, Role.CUSTOMER_MANAGER, Role.CS_SPECIALIST})


class DepartmentKind(models.TextChoices):
    SALES = "sales", _("Sales")
    SERVICE = "service", _("After-sales service")
    PARTS = "parts", _("Spare parts")
    BODYSHOP = "bodyshop", _("Body & paint")
    CS_CENTER = "cs_center", _("Customer service center")
    MANAGEMENT = "management", _("Management department")
    FINANCE = "finance", _("Finance")
    GM_OFFICE = "gm_office", _("General management")


class User(AbstractUser):
    """A member of staff. `is_absent` sends their open steps to the secondary responsible person."""

    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    is_absent = models.BooleanField(
        _("absent / off duty"),
        default=False,
        help_text=_("While set, new and open steps go to the secondary responsible person."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.display_name or self.get_full_name() or self.username


class DealerGroup(models.Model):
    """A dealer group (集团) running one or more stores."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("dealer group")
        verbose_name_plural = _("dealer groups")

    def __str__(self):
        return self.name


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("Unknown time zone: %(tz)s"), params={"tz": value})


class Store(models.Model):
    """A 4S store. Every complaint belongs to exactly one store; access is granted per store."""

    group = models.ForeignKey(DealerGroup, on_delete=models.PROTECT, related_name="stores")
    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100)
    timezone = models.CharField(
        _("time zone"), max_length=64, default="Asia/Shanghai", validators=[validate_timezone]
    )
    form_prefix = models.CharField(
        _("form number prefix"),
        max_length=10,
        default="FK",
        help_text=_("Feedback form numbers read PREFIX-YYYYMM-NNNN."),
    )

    class Meta:
        verbose_name = _("store")
        verbose_name_plural = _("stores")
        ordering = ["group_id", "code"]

    def __str__(self):
        return self.name

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)


class Department(models.Model):
    """A department of a store, with the primary and secondary responsible person of its steps."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="departments")
    kind = models.CharField(_("kind"), max_length=20, choices=DepartmentKind.choices)
    name = models.CharField(_("name"), max_length=100, blank=True)
    primary = models.ForeignKey(
        User,
        verbose_name=_("primary responsible person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    secondary = models.ForeignKey(
        User,
        verbose_name=_("secondary responsible person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        constraints = [
            models.UniqueConstraint(
                fields=["store", "kind"], name="department_unique_kind_per_store"
            )
        ]
        ordering = ["store_id", "kind"]

    def __str__(self):
        return self.name or self.get_kind_display()


class RoleGrant(models.Model):
    """A role a user holds in one store, or in every store of a group (store left empty).

    This table is the only source of store access: Django's is_staff / is_superuser flags
    grant none. A group-level grant reaches all the group's stores on purpose (a group CS
    director or GM oversees them all).
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="grants")
    group = models.ForeignKey(DealerGroup, on_delete=models.CASCADE, related_name="grants")
    store = models.ForeignKey(
        Store,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="grants",
        help_text=_("Empty: the role applies in every store of the group."),
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="grants"
    )

    class Meta:
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "store", "role"],
                condition=models.Q(store__isnull=False),
                name="rolegrant_unique_store_role",
            ),
            models.UniqueConstraint(
                fields=["user", "group", "role"],
                condition=models.Q(store__isnull=True),
                name="rolegrant_unique_group_role",
            ),
        ]

    def __str__(self):
        where = self.store or self.group
        return f"{self.user} · {self.get_role_display()} @ {where}"

    def clean(self):
        if self.store_id and self.store.group_id != self.group_id:
            raise ValidationError({"store": _("The store does not belong to this group.")})
        if self.department_id and self.department.store_id != self.store_id:
            raise ValidationError(
                {"department": _("The department does not belong to this store.")}
            )


class ApiToken(models.Model):
    """A bearer token for an integration (DMS, call center). Only a hash is stored; the token acts
    as its user, with that user's store grants and roles."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=8, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked = models.BooleanField(_("revoked"), default=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"
