"""`complaintdesk import FILE [--store CODE] [--as USERNAME] [--source NAME] [--dry-run]`."""

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Case, IntegerField, Value, When

from complaintdesk.complaints.importing import ImportRefused, ProgressBar, import_file
from complaintdesk.org.models import Role, Store, User
from complaintdesk.org.selectors import roles_in_store, users_with_roles

# The import is registered by the CS center (SPEC §2); its specialists do the data entry.
IMPORTER_ROLES = (Role.CS_SPECIALIST, Role.CUSTOMER_MANAGER, Role.CS_DIRECTOR)


def pick_store(code: str | None) -> Store:
    if code:
        store = Store.objects.filter(code=code).first()
        if store is None:
            raise CommandError(f"No store with code {code!r}.")
        return store
    stores = list(Store.objects.order_by("code")[:20])
    if len(stores) != 1:
        codes = ", ".join(s.code for s in stores) or "none"
        raise CommandError(f"Name the store with --store CODE (stores: {codes}).")
    return stores[0]


def pick_actor(store: Store, username: str | None) -> User:
    if username:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None or not roles_in_store(user, store):
            raise CommandError(f"{username!r} is not an active user with a role in {store.code}.")
        return user
    # Whoever is most likely the CS center's data-entry person: a specialist, else the customer
    # manager, else the CS director; someone on duty first.
    for role in IMPORTER_ROLES:
        user = (
            users_with_roles(store, [role])
            .annotate(
                away=Case(
                    When(is_absent=True, then=Value(1)), default=0, output_field=IntegerField()
                )
            )
            .order_by("away", "pk")
            .first()
        )
        if user is not None:
            return user
    raise CommandError(f"No user with a CS center role in {store.code}; name one with --as.")


def print_report(out, report) -> None:
    action = "would create" if report.dry_run else "created"
    out.write(
        f"{report.file_name} ({report.encoding}, {report.rows_total} rows): "
        f"{action} {report.created}, skipped {report.skipped} already imported, "
        f"{len(report.errors)} errors, {report.seconds:.1f} s"
    )
    if report.ignored_columns:
        out.write("  ignored columns: " + ", ".join(report.ignored_columns))
    for note in report.notes:
        out.write(f"  note: {note}")
    for error in report.errors:
        out.write(f"  {error}")


class Command(BaseCommand):
    help = (
        "Import complaints from a .csv (UTF-8 or GBK) or .xlsx file. Every row is validated; if "
        "any row fails nothing is imported. Re-importing the same file creates no duplicates."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--store", help="store code (default: the only store)")
        parser.add_argument(
            "--as",
            dest="username",
            help="user who registers the complaints (default: a CS center member of the store)",
        )
        parser.add_argument(
            "--source",
            default="",
            help="name of the origin (default: the file's `source` column, else the file name)",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="validate and report, store nothing"
        )

    def handle(self, *args, **options):
        store = pick_store(options["store"])
        actor = pick_actor(store, options["username"])
        try:
            report = import_file(
                options["file"],
                store=store,
                actor=actor,
                source=options["source"],
                dry_run=options["dry_run"],
                progress=ProgressBar(self.stderr),
            )
        except ImportRefused as exc:
            raise CommandError(f"{options['file']}: {exc.message}", returncode=1) from None
        print_report(self.stdout, report)
        if not report.ok:
            raise CommandError(
                f"{len(report.errors)} problems in {len({e.row for e in report.errors})} rows; "
                "nothing was imported.",
                returncode=1,
            )
