"""`complaintdesk bench sweep`: time the deadline sweep on a large, throw-away data set.

    complaintdesk bench sweep --complaints 1000000 --open 100000

Builds the data with bulk inserts in a temporary database of the configured kind — a temporary
SQLite file, or a temporary PostgreSQL database on the configured server when DATABASE_URL points
at PostgreSQL — never the live data, and drops it afterwards. Prints the query plans of the
sweep's two queries and, as its last line, a JSON object with the figures (`seconds` is one full
sweep: finding and handling every step due in the last minute).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Benchmarks on a throw-away database (never the live data)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="which", required=True)
        sw = sub.add_parser("sweep", help="One full deadline sweep over many open steps.")
        sw.add_argument("--complaints", type=int, default=1_000_000)
        sw.add_argument("--open", type=int, default=100_000)
        sw.add_argument("--due-now", type=int, default=100, help="Steps that fall due in the last minute.")
        sw.add_argument("--warn-now", type=int, default=100, help="Steps whose warning time just came.")
        sw.add_argument("--stores", type=int, default=5)
        sw.add_argument("--child", action="store_true", help=argparse_hidden())
        rp = sub.add_parser("reports", help="The monthly summary and the dashboard's default view.")
        rp.add_argument("--complaints", type=int, default=1_000_000)
        rp.add_argument("--stores", type=int, default=20)
        rp.add_argument("--child", action="store_true", help=argparse_hidden())

    def handle(self, *args, which, **options):
        if options.get("child") and which == "reports":
            from complaintdesk.reports.bench import main

            call_command("migrate", verbosity=0, interactive=False)
            settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
            return main(complaints=options["complaints"], stores=options["stores"], out=self.stdout)
        if options.get("child"):
            return self._child(**options)
        if options.get("open", 0) > options["complaints"]:
            raise CommandError("--open cannot exceed --complaints")
        engine = settings.DATABASES["default"]["ENGINE"]
        tmpdir = tempfile.mkdtemp(prefix="complaintdesk-bench-")
        env = {**os.environ, "COMPLAINTDESK_DATA_DIR": tmpdir}
        pg_name = None
        try:
            if engine.endswith("postgresql"):
                pg_name = f"complaintdesk_bench_{os.getpid()}"
                url = _pg_create(pg_name)
            else:
                url = f"sqlite:///{tmpdir}/bench.sqlite3"
            env["DATABASE_URL"] = url
            self.stdout.write(f"throw-away database: {url}")
            cmd = [sys.executable, "-m", "complaintdesk", "bench", which, "--child"]
            keys = (
                ("complaints", "stores")
                if which == "reports"
                else ("complaints", "open", "due_now", "warn_now", "stores")
            )
            for key in keys:
                cmd += [f"--{key.replace('_', '-')}", str(options[key])]
            proc = subprocess.run(cmd, env=env, check=False)  # noqa: S603 - our own command
            if proc.returncode:
                raise CommandError(f"benchmark failed (exit {proc.returncode})")
        finally:
            if pg_name:
                _pg_drop(pg_name)
            shutil.rmtree(tmpdir, ignore_errors=True)

    def _child(self, *, complaints, open, due_now, warn_now, stores, **options):  # noqa: A002
        from django.db import connection

        from complaintdesk.deadlines.sweep import sweep

        call_command("migrate", verbosity=0, interactive=False)
        # Staff personas only need a password field, not a production-strength hash.
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
        now = dt.datetime.now(dt.UTC).replace(microsecond=0)
        t0 = time.perf_counter()
        _build(complaints=complaints, open_steps=open, due_now=due_now, warn_now=warn_now, stores=stores, now=now)
        build_seconds = time.perf_counter() - t0
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
        plans = _plans(now)
        for title, plan in plans.items():
            self.stdout.write(f"-- query plan: {title}")
            for line in plan:
                self.stdout.write(f"   {line}")
        t1 = time.perf_counter()
        result = sweep(now)
        seconds = time.perf_counter() - t1
        again = sweep(now)  # nothing left: the cost of a sweep with no work
        self.stdout.write(
            json.dumps(
                {
                    "benchmark": "sweep",
                    "database": connection.vendor,
                    "complaints": complaints,
                    "open_steps": open,
                    "warnings": result.warnings,
                    "breaches": result.breaches,
                    "seconds": round(seconds, 4),
                    "idle_sweep_seconds": round(again.seconds, 4),
                    "build_seconds": round(build_seconds, 1),
                    "index_used": all(_uses_index(p) for p in plans.values()),
                }
            )
        )


def argparse_hidden():
    import argparse

    return argparse.SUPPRESS


def _pg_params():
    db = settings.DATABASES["default"]
    return {
        "host": db.get("HOST") or "127.0.0.1",
        "port": db.get("PORT") or 5432,
        "user": db.get("USER") or "postgres",
        "password": db.get("PASSWORD") or None,
    }


def _pg_create(name: str) -> str:
    import psycopg

    p = _pg_params()
    with psycopg.connect(dbname="postgres", autocommit=True, **p) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    auth = p["user"] + (f":{p['password']}" if p["password"] else "")
    return f"postgres://{auth}@{p['host']}:{p['port']}/{name}"


def _pg_drop(name: str) -> None:
    import psycopg

    with psycopg.connect(dbname="postgres", autocommit=True, **_pg_params()) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _build(*, complaints, open_steps, due_now, warn_now, stores, now):
    """Bulk-insert complaints with one step each; `open_steps` of them still open, spread so that
    most are due later, some were breached long ago, and a few fall due (or warn) right now."""
    from django.db import transaction

    from complaintdesk.complaints.models import Complaint, Step
    from complaintdesk.org.models import DealerGroup
    from complaintdesk.testing import make_store_with_staff

    rng = random.Random(20261203)  # noqa: S311 - data generation
    group = DealerGroup.objects.create(code="bench", name="Bench group")
    shops = [make_store_with_staff(f"s{i}", group=group, prefix=f"s{i}-") for i in range(stores)]
    batch = 5000
    open_ids = set(rng.sample(range(complaints), open_steps))
    specials = list(open_ids)[: due_now + warn_now]
    due_ids, warn_ids = set(specials[:due_now]), set(specials[due_now:])
    for start in range(0, complaints, batch):
        with transaction.atomic():
            rows = []
            for i in range(start, min(start + batch, complaints)):
                shop = shops[i % stores]
                received = now - dt.timedelta(minutes=rng.randint(5, 3 * 365 * 24 * 60))
                rows.append(
                    Complaint(
                        store=shop.store, number=f"B-{i:08d}", channel="phone", received_at=received,
                        summary="刹车异响", description="bench", search_text="bench",
                        status="investigating" if i in open_ids else "archived",
                    )
                )
            made = Complaint.objects.bulk_create(rows, batch_size=batch)
            steps = []
            for i, c in zip(range(start, start + len(made)), made, strict=True):
                if i in due_ids:
                    due, warn, warned, breached = now - dt.timedelta(seconds=rng.randint(1, 59)), now - dt.timedelta(hours=1), now, None
                elif i in warn_ids:
                    due, warn, warned, breached = now + dt.timedelta(hours=1), now - dt.timedelta(seconds=rng.randint(1, 59)), None, None
                elif i in open_ids and rng.random() < 0.1:
                    past = now - dt.timedelta(hours=rng.randint(2, 5000))
                    due, warn, warned, breached = past, past - dt.timedelta(hours=1), past, past
                else:
                    future = now + dt.timedelta(minutes=rng.randint(2, 30 * 24 * 60))
                    due, warn, warned, breached = future, future - dt.timedelta(minutes=1), None, None
                steps.append(
                    Step(
                        complaint=c, kind="determine", tier=1, started_at=c.received_at, deadline="determine",
                        amount=24, clock="elapsed", due_at=due, warn_at=warn, warned_at=warned, breached_at=breached,
                        finished_at=None if i in open_ids else c.received_at + dt.timedelta(hours=3),
                    )
                )
            Step.objects.bulk_create(steps, batch_size=batch)


def _plans(now) -> dict[str, list[str]]:
    from complaintdesk.complaints.models import Step

    queries = {
        "breaches": Step.objects.filter(finished_at__isnull=True, breached_at__isnull=True, due_at__lte=now)
        .order_by("due_at")
        .values_list("pk", flat=True)[:5000],
        "warnings": Step.objects.filter(finished_at__isnull=True, warned_at__isnull=True, warn_at__lte=now)
        .order_by("warn_at")
        .values_list("pk", flat=True)[:5000],
    }
    return {name: qs.explain().splitlines() for name, qs in queries.items()}


def _uses_index(plan: list[str]) -> bool:
    text = " ".join(plan).lower()
    return "step_sweep_" in text and "seq scan" not in text
