"""`complaintdesk demo [--data DIR | --no-data] [--password PW]`: a store to try the system in."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from complaintdesk.complaints import demo


class Command(BaseCommand):
    help = (
        "Create (idempotently) the demo dealer group, store, one user per role and complaints in "
        "every state. Complaints come from the shared folder of real complaints when present, "
        "otherwise from the project's built-in examples."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--data",
            type=Path,
            help="folder of CSV/XLSX complaint files (default: $COMPLAINTDESK_SHARED_DATA, else "
            "shared/data/complaints beside the repository)",
        )
        parser.add_argument(
            "--no-data",
            action="store_true",
            help="ignore the shared folder; use the built-in complaints",
        )
        parser.add_argument(
            "--password",
            help=f"password of every demo user (default {demo.DEFAULT_PASSWORD}; existing users "
            "keep theirs unless this is given)",
        )

    def handle(self, *args, **options):
        if options["data"] is not None:
            data_dir = options["data"]
            if not data_dir.is_dir():
                raise CommandError(f"{data_dir} is not a folder.")
        else:
            data_dir = None if options["no_data"] else demo.default_data_dir()
        password = options["password"] or demo.DEFAULT_PASSWORD
        result = demo.run_demo(
            data_dir=data_dir,
            password=password,
            reset_passwords=options["password"] is not None,
            progress_stream=self.stderr,
        )
        out = self.stdout
        out.write(f"Store: {result.staff.store} (code {result.staff.store.code})")
        out.write(f"Complaints from: {data_dir or 'built-in demo complaints'}")
        for report in result.reports:
            out.write(
                f"  {report.file_name}: {report.created} created, {report.skipped} already there"
                + (f", {len(report.errors)} errors" if report.errors else "")
            )
            for error in report.errors[:20]:
                out.write(f"    {error}")
        out.write(
            f"Workflow: {result.walk.walked} complaints moved with {result.walk.actions} actions"
        )
        out.write("Complaints per status:")
        for code, label, count in demo.status_counts(result.staff):
            out.write(f"  {code:<18} {demo.pad(label, 36)} {count:>6}")
        seconds = result.seconds
        out.write(
            f"Time: {seconds['total']:.1f} s (setup {seconds['setup']:.1f}, import "
            f"{seconds['import']:.1f}, workflow {seconds['walk']:.1f})"
        )
        out.write("Logins (existing users keep their password unless --password is given):")
        out.write(f"  {'username':<14} {demo.pad('角色', 20)} {'role':<36} password")
        for username, zh, en, pw in demo.logins(password):
            out.write(f"  {username:<14} {demo.pad(zh, 20)} {en:<36} {pw}")
        if any(report.errors for report in result.reports):
            raise CommandError("Some demo files could not be imported (see above).", returncode=1)
