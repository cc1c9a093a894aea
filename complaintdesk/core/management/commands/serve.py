"""`complaintdesk serve`: the production-grade server for one machine.

Applies migrations, starts the background worker (`complaintdesk worker`) as a child process,
then runs gunicorn (pre-forked workers, WhiteNoise for static files) on the given address; the
worker stops with the server. On several machines, run gunicorn against complaintdesk.wsgi and
`complaintdesk worker` separately (README "Production").
"""

import atexit
import os
import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Migrate the database and serve the app with gunicorn (several workers)."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("BIND", "127.0.0.1:8000"))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", 2 * (os.cpu_count() or 1) + 1))
        )
        parser.add_argument("--no-migrate", action="store_true", help="Skip applying migrations first.")
        parser.add_argument("--no-worker", action="store_true", help="Do not start the background worker.")

    def handle(self, *args, bind, workers, no_migrate, no_worker, **options):
        if workers < 1:
            raise CommandError("--workers must be at least 1")
        if not no_migrate:
            call_command("migrate", interactive=False, verbosity=0)
        if not no_worker:
            worker = subprocess.Popen([sys.executable, "-m", "complaintdesk", "worker"])  # noqa: S603
            atexit.register(worker.terminate)
            self.stdout.write(f"background worker started (pid {worker.pid})")
        from gunicorn.app.base import BaseApplication

        from complaintdesk.wsgi import application

        class Server(BaseApplication):
            def load_config(self):
                self.cfg.set("bind", [bind])
                self.cfg.set("workers", workers)
                self.cfg.set("timeout", 60)
                self.cfg.set("accesslog", "-")
                self.cfg.set("proc_name", "complaintdesk")

            def load(self):
                return application

        self.stdout.write(f"complaintdesk on http://{bind}/ with {workers} workers (Ctrl+C stops)")
        Server().run()
