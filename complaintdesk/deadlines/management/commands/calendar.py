"""`complaintdesk calendar status|import FILE [--store CODE]|load-package`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from complaintdesk.core.errors import ValidationFailed
from complaintdesk.deadlines.models import CalendarDay, CalendarYear
from complaintdesk.deadlines.policy import load_national_calendar
from complaintdesk.deadlines.services import calendar_changed, calendar_import
from complaintdesk.org.models import Store


class Command(BaseCommand):
    help = "Show, import or reload the holiday calendar (national or a store's own days)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("status", help="Which years are entered.")
        imp = sub.add_parser("import", help="Import days from CSV: date,kind(holiday|workday|休|班),name.")
        imp.add_argument("file")
        imp.add_argument("--store", help="A store's own closures / extra days (default: national).")
        sub.add_parser("load-package", help="(Re)load the years the chinesecalendar package covers.")

    def handle(self, *args, action, **options):
        if action == "status":
            for year in CalendarYear.objects.all():
                days = CalendarDay.objects.filter(store__isnull=True, date__year=year.year).count()
                self.stdout.write(f"{year.year}: {days} days ({year.get_source_display()})")
            return
        if action == "load-package":
            years = load_national_calendar()
            moved = calendar_changed(store=None)
            self.stdout.write(f"loaded {len(years)} years; {moved} open steps recomputed")
            return
        store = None
        if options.get("store"):
            store = Store.objects.filter(code=options["store"]).first()
            if store is None:
                raise CommandError(f"No store with code {options['store']!r}.")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            result = calendar_import(data=path.read_bytes(), store=store, year_note=path.name)
        except ValidationFailed as exc:
            lines = [str(exc.message)] + [f"  {where}: {msg}" for where, msgs in exc.errors.items() for msg in msgs]
            raise CommandError("\n".join(lines)) from None
        self.stdout.write(
            f"imported {result['days']} days for {', '.join(map(str, result['years']))}; "
            f"{result['recomputed']} open steps recomputed"
        )
