"""`complaintdesk warranty import-repairs FILE --store CODE [--as USERNAME] [--complaint NUMBER]
[--dry-run]` and `complaintdesk warranty check [--store CODE]`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from complaintdesk.complaints.importing import ImportRefused
from complaintdesk.complaints.models import Complaint
from complaintdesk.core.errors import DomainError
from complaintdesk.org.models import Role, Store, User
from complaintdesk.org.selectors import roles_in_store, users_with_roles
from complaintdesk.warranty.importing import import_repairs_file
from complaintdesk.warranty.services import EDIT_ROLES, legal_risk_sweep

# Who imports by default: the repair orders are after-sales' records, the CS center uses them.
DEFAULT_IMPORTERS = (
    Role.SERVICE_ADVISOR,
    Role.CS_SPECIALIST,
    Role.CUSTOMER_MANAGER,
    Role.CS_DIRECTOR,
)


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


def pick_importer(store, username: str | None) -> User:
    if username:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None or not roles_in_store(user, store) & EDIT_ROLES:
            raise CommandError(
                f"{username!r} is not an active user allowed to record repairs in {store.code}."
            )
        return user
    for role in DEFAULT_IMPORTERS:
        user = users_with_roles(store, [role]).order_by("is_absent", "pk").first()
        if user is not None:
            return user
    raise CommandError(f"No user in {store.code} may record repairs; name one with --as.")


def print_report(out, report) -> None:
    action = "would create" if report.dry_run else "created"
    out.write(
        f"{report.file_name} ({report.encoding}, {report.rows_total} rows): {action} "
        f"{report.created}, updated {report.updated}, unchanged {report.unchanged}, new vehicles "
        f"{report.vehicles_created}, legal-risk flags {report.flags_raised}, "
        f"{len(report.errors)} errors"
    )
    if report.ignored_columns:
        out.write("  ignored columns: " + ", ".join(report.ignored_columns))
    for note in report.notes:
        out.write(f"  note: {note}")
    for error in report.errors:
        out.write(f"  {error}")


class Command(BaseCommand):
    help = (
        "Three guarantees (三包): import repair visits from the DMS, or re-check open complaints."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser(
            "import-repairs",
            help="Import repair orders from .csv (UTF-8 or GBK) or .xlsx; nothing is stored if "
            "any row has a problem; re-importing updates by repair order number.",
        )
        imp.add_argument("file")
        imp.add_argument("--store", help="store code (default: the only store)")
        imp.add_argument("--as", dest="username", help="user who records the visits")
        imp.add_argument(
            "--complaint", help="form number the 是否本投诉故障 column refers to (optional)"
        )
        imp.add_argument("--dry-run", action="store_true", help="check and report, store nothing")
        check = sub.add_parser(
            "check", help="Re-evaluate open complaints and raise legal-risk flags."
        )
        check.add_argument("--store", help="store code (default: every store)")

    def handle(self, *args, action, **options):
        if action == "check":
            store = pick_store(options["store"]) if options.get("store") else None
            self.stdout.write(f"{legal_risk_sweep(store=store)} legal-risk flags raised")
            return
        store = pick_store(options["store"])
        actor = pick_importer(store, options["username"])
        complaint = None
        if options.get("complaint"):
            complaint = Complaint.objects.filter(store=store, number=options["complaint"]).first()
            if complaint is None:
                raise CommandError(f"No complaint {options['complaint']!r} in {store.code}.")
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}", returncode=1) from None
        try:
            report = import_repairs_file(
                path.name,
                data,
                store=store,
                actor=actor,
                complaint=complaint,
                dry_run=options["dry_run"],
            )
        except (ImportRefused, DomainError) as exc:
            raise CommandError(f"{path}: {exc.message}", returncode=1) from None
        print_report(self.stdout, report)
        if not report.ok:
            raise CommandError(
                f"{len(report.errors)} problems in {len({e.row for e in report.errors})} rows; "
                "nothing was imported.",
                returncode=1,
            )
