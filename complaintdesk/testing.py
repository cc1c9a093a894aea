"""Personas for tests and the demo: a store with a user for every role of SPEC §1."""

from dataclasses import dataclass

from complaintdesk.org.models import DealerGroup, Department, DepartmentKind, Role, Store, User
from complaintdesk.org.services import department_set_responsible, role_grant, store_create

# username suffix, role, department kind, display name (zh)
PERSONAS = [
    ("director", Role.CS_DIRECTOR, DepartmentKind.CS_CENTER, "赵客服总监"),
    ("manager", Role.CUSTOMER_MANAGER, DepartmentKind.CS_CENTER, "钱客户经理"),
    ("specialist", Role.CS_SPECIALIST, DepartmentKind.CS_CENTER, "孙客户专员"),
    ("advisor", Role.SERVICE_ADVISOR, DepartmentKind.SERVICE, "李服务顾问"),
    ("caller", Role.CALLBACK_AGENT, DepartmentKind.CS_CENTER, "周回访员"),
    ("reception", Role.RECEPTIONIST, DepartmentKind.SERVICE, "吴接待员"),
    ("deptmgr", Role.DEPARTMENT_MANAGER, DepartmentKind.SERVICE, "郑售后经理"),
    ("techdir", Role.TECHNICAL_DIRECTOR, DepartmentKind.SERVICE, "王技术总监"),
    ("mgmt", Role.MANAGEMENT, DepartmentKind.MANAGEMENT, "冯管理部"),
    ("mgmt2", Role.MANAGEMENT, DepartmentKind.MANAGEMENT, "陈管理部"),
    ("gm", Role.GENERAL_MANAGER, DepartmentKind.GM_OFFICE, "褚总经理"),
    ("deputygm", Role.GENERAL_MANAGER, DepartmentKind.GM_OFFICE, "卫主管总经理"),
    ("finance", Role.FINANCE, DepartmentKind.FINANCE, "蒋财务"),
    ("storemgr", Role.STORE_MANAGER, DepartmentKind.GM_OFFICE, "沈店长"),
]

# Primary and secondary responsible person per department (SPEC §1).
RESPONSIBLE = {
    DepartmentKind.CS_CENTER: ("manager", "specialist"),
    DepartmentKind.MANAGEMENT: ("mgmt", "mgmt2"),
    DepartmentKind.GM_OFFICE: ("gm", "deputygm"),
    DepartmentKind.SERVICE: ("deptmgr", "advisor"),
}


@dataclass
class StoreStaff:
    store: Store
    users: dict[str, User]

    def __getattr__(self, name):
        try:
            return self.__dict__["users"][name]
        except KeyError:
            raise AttributeError(name) from None

    def department(self, kind: str) -> Department:
        return self.store.departments.get(kind=kind)


def make_store_with_staff(
    code: str,
    *,
    group: DealerGroup | None = None,
    name: str | None = None,
    password: str | None = None,
    prefix: str | None = None,
) -> StoreStaff:
    group = (
        group
        or DealerGroup.objects.get_or_create(code="demo-group", defaults={"name": "演示汽车集团"})[
            0
        ]
    )
    store = store_create(group=group, code=code, name=name or f"Store {code}")
    prefix = prefix if prefix is not None else f"{code}-"
    users = {}
    for suffix, role, dept_kind, display in PERSONAS:
        user, created = User.objects.get_or_create(
            username=f"{prefix}{suffix}", defaults={"display_name": display}
        )
        if created or password:
            user.set_password(password or "test-pass-123")
            user.save()
        role_grant(
            user=user, role=role, store=store, department=store.departments.get(kind=dept_kind)
        )
        users[suffix] = user
    for kind, (primary, secondary) in RESPONSIBLE.items():
        department_set_responsible(
            department=store.departments.get(kind=kind),
            primary=users[primary],
            secondary=users[secondary],
        )
    return StoreStaff(store=store, users=users)
