"""`complaintdesk worker`: the background worker (Huey) — deadline sweep, calendar jobs,
notification delivery. The queue is SQLite beside the database by default, Redis when
HUEY_REDIS_URL is set; run as many workers on as many machines as needed."""

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the background worker (deadline sweep, calendar jobs, notifications)."

    def add_arguments(self, parser):
        parser.add_argument("--workers", type=int, default=None, help="Worker threads.")
        parser.add_argument(
            "--no-periodic", action="store_true",
            help="Do not schedule the periodic tasks here (when another worker does).",
        )

    def handle(self, *args, workers, no_periodic, **options):
        opts = {}
        if workers:
            opts["workers"] = workers
        if no_periodic:
            opts["periodic"] = False
        call_command("run_huey", **opts)
