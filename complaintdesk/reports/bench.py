"""`complaintdesk bench reports`: the data set and the two timings (run inside the throw-away
database that core/management/commands/bench.py creates; never the live data)."""

from __future__ import annotations

import datetime as dt
import json
import random
import time

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

CHANNELS = ["onsite", "phone", "phone", "phone", "web", "letter", "platform", "regulator"]
NATURES = [
    "quality",
    "quality",
    "attitude",
    "delay",
    "parts_price",
    "labour_charge",
    "repeat_repair",
    "sales_process",
    "",
]
MODELS = ["3系", "5系", "X1", "X3", "X5", "i3", ""]
CATEGORIES = ["刹车", "发动机", "变速箱", "空调", "电子设备", "漆面", ""]
STATUSES = ["archived"] * 6 + ["completed", "investigating", "callback", "pending", "voided"]
STEP_KINDS = ["register", "determine", "review", "decide", "accountability"]


def build(*, complaints: int, stores: int, now: dt.datetime, out) -> None:
    """Bulk-insert `complaints` over three years and `stores` stores, each with its customers,
    vehicles, two or three workflow steps (some late) and an involved person for one in ten."""
    from complaintdesk.complaints.models import Complaint, Customer, Step, Vehicle
    from complaintdesk.org.models import DealerGroup
    from complaintdesk.testing import make_store_with_staff

    rng = random.Random(20261203)  # noqa: S311 - data generation
    group = DealerGroup.objects.create(code="bench", name="Bench group")
    shops = [make_store_with_staff(f"s{i}", group=group, prefix=f"s{i}-") for i in range(stores)]
    people = max(1, complaints // stores // 4)  # about four complaints per customer and vehicle
    pools = []
    for shop in shops:
        customers = Customer.objects.bulk_create(
            [
                Customer(
                    store=shop.store,
                    name=f"客户{i}",
                    phone=f"138{i:08d}",
                    phone_normalized=f"138{i:08d}",
                )
                for i in range(people)
            ],
            batch_size=5000,
        )
        vehicles = Vehicle.objects.bulk_create(
            [
                Vehicle(
                    store=shop.store,
                    plate=f"京A{i:05d}",
                    plate_normalized=f"京A{i:05d}",
                    model=rng.choice(MODELS),
                )
                for i in range(people)
            ],
            batch_size=5000,
        )
        depts = list(shop.store.departments.values_list("pk", flat=True))
        pools.append((shop, customers, vehicles, depts))
    through = Complaint.involved_staff.through
    advisor_of = {shop.store.pk: shop.advisor.pk for shop, *_rest in pools}
    complaint_rows = _RawInsert(Complaint)
    step_rows = _RawInsert(Step)
    staff_rows = _RawInsert(through)
    span = 3 * 365 * 24 * 60
    batch = 20_000
    for start in range(0, complaints, batch):
        c_batch, s_batch, p_batch = [], [], []
        for i in range(start, min(start + batch, complaints)):
            pk = i + 1
            shop, customers, vehicles, depts = pools[i % stores]
            status = rng.choice(STATUSES)
            received = now - dt.timedelta(minutes=rng.randint(5, span))
            closed = (
                received + dt.timedelta(days=3) if status in ("archived", "completed") else None
            )
            vehicle = rng.choice(vehicles + [None])
            c_batch.append(
                complaint_rows.row(
                    id=pk,
                    store_id=shop.store.pk,
                    number=f"B-{i:08d}",
                    channel=rng.choice(CHANNELS),
                    received_at=received,
                    summary="刹车异响",
                    description="bench",
                    search_text="bench",
                    status=status,
                    nature=rng.choice(NATURES),
                    concerned_department_id=rng.choice(depts + [None]),
                    customer_id=rng.choice(customers).pk,
                    vehicle_id=vehicle.pk if vehicle else None,
                    vehicle_model=vehicle.model if vehicle else "",
                    source_category=rng.choice(CATEGORIES),
                    closed_at=closed,
                    created_at=received,
                    updated_at=received,
                )
            )
            t = received
            for kind in STEP_KINDS[: rng.randint(2, 3)]:
                done = t + dt.timedelta(hours=rng.choice([1, 3, 20, 30]))
                s_batch.append(
                    step_rows.row(
                        complaint_id=pk,
                        kind=kind,
                        started_at=t,
                        due_at=t + dt.timedelta(hours=24),
                        deadline=kind,
                        amount=24.0,
                        clock="elapsed",
                        finished_at=done,
                    )
                )
                t = done
            if rng.random() < 0.1:
                p_batch.append(staff_rows.row(complaint_id=pk, user_id=advisor_of[shop.store.pk]))
        with transaction.atomic():
            complaint_rows.insert(c_batch)
            step_rows.insert(s_batch)
            staff_rows.insert(p_batch)
        if start and start % 100_000 == 0:
            out.write(f"  {start} complaints")
    from django.core.management.color import no_style

    with connection.cursor() as cur:
        for sql in connection.ops.sequence_reset_sql(no_style(), [Complaint]):
            cur.execute(sql)


class _RawInsert:
    """Plain INSERTs with executemany: the ORM's per-field preparation of bulk_create dominates
    a million-row build. Columns not given get their field default, prepared once."""

    def __init__(self, model):
        self.fields = [f for f in model._meta.concrete_fields]
        self.defaults = {}
        for f in self.fields:
            value = f.get_default() if f.has_default() else (None if f.null else "")
            if f.primary_key:
                value = None
            try:
                self.defaults[f.attname] = f.get_db_prep_save(value, connection)
            except ValidationError:  # a required time without a default: always given
                self.defaults[f.attname] = None
        self.table = model._meta.db_table
        self.datetime_cols = {
            f.attname for f in self.fields if f.get_internal_type() == "DateTimeField"
        }
        self.fields_by_name = {f.attname: f for f in self.fields}
        self.columns = None

    def row(self, **values):
        if self.columns is None:
            self.columns = [
                f.attname for f in self.fields if not f.primary_key or f.attname in values
            ]
        adapt = connection.ops.adapt_datetimefield_value
        return tuple(
            (adapt(values[c]) if c in self.datetime_cols and values[c] is not None else values[c])
            if c in values
            else self.defaults[c]
            for c in self.columns
        )

    def insert(self, rows):
        if not rows:
            return
        qn = connection.ops.quote_name
        cols = ", ".join(qn(self.fields_by_name[c].column) for c in self.columns)
        marks = ", ".join(["%s"] * len(self.columns))
        with connection.cursor() as cur:
            # Table and column names come from the models, never from input.
            sql = f"INSERT INTO {qn(self.table)} ({cols}) VALUES ({marks})"  # noqa: S608
            cur.executemany(sql, rows)


def run(*, complaints: int, stores: int, out) -> dict:
    from complaintdesk.org.models import Role, Store, User
    from complaintdesk.org.services import role_grant
    from complaintdesk.reports import selectors, summaries

    now = timezone.now().replace(microsecond=0)
    t0 = time.perf_counter()
    build(complaints=complaints, stores=stores, now=now, out=out)
    build_seconds = time.perf_counter() - t0
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    boss = User.objects.create_user("bench-group-gm")
    store = Store.objects.order_by("pk").first()
    role_grant(user=boss, role=Role.GENERAL_MANAGER, group=store.group)

    start, end = summaries.previous_month(timezone.localdate(now, store.tz))
    t1 = time.perf_counter()
    summaries.feedback_summary_xlsx(store, start, end)
    monthly = time.perf_counter() - t1

    d_start, d_end = selectors.default_period()
    t2 = time.perf_counter()
    selectors.dashboard(boss, start=d_start, end=d_end)
    default_view = time.perf_counter() - t2

    t3 = time.perf_counter()
    selectors.dashboard(boss, start=start, end=end)
    full_month = time.perf_counter() - t3
    return {
        "benchmark": "reports",
        "database": connection.vendor,
        "complaints": complaints,
        "stores": stores,
        "monthly_summary_seconds": round(monthly, 3),
        "dashboard_default_view_seconds": round(default_view, 3),
        "dashboard_last_full_month_all_stores_seconds": round(full_month, 3),
        "build_seconds": round(build_seconds, 1),
    }


def main(*, complaints: int, stores: int, out) -> None:
    out.write(json.dumps(run(complaints=complaints, stores=stores, out=out)))
