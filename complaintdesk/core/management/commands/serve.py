"""`complaintdesk serve`: the production-grade server for one machine.

Applies migrations, then runs gunicorn (pre-forked workers, WhiteNoise for static files) on the
given address. On several machines, run gunicorn against complaintdesk.wsgi behind a proxy
instead (README "Production").
"""

import os

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

    def handle(self, *args, bind, workers, no_migrate, **options):
        if workers < 1:
            raise CommandError("--workers must be at least 1")
        if not no_migrate:
            call_command("migrate", interactive=False, verbosity=0)
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
