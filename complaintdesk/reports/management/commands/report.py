"""`complaintdesk report summary --store CODE --from YYYY-MM-DD --to YYYY-MM-DD [--out F.xlsx]`:
produce a summary of any past period again (and with --send, mail it as the schedule does)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from complaintdesk.org.models import Store
from complaintdesk.reports import summaries


class Command(BaseCommand):
    help = "Produce a feedback-form or rewards-and-penalties summary for a past period."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="which", required=True)
        s = sub.add_parser("summary")
        s.add_argument("--store", required=True)
        s.add_argument("--from", dest="start", required=True, type=dt.date.fromisoformat)
        s.add_argument("--to", dest="end", required=True, type=dt.date.fromisoformat)
        s.add_argument(
            "--kind", choices=[summaries.FEEDBACK, summaries.SANCTIONS], default=summaries.FEEDBACK
        )
        s.add_argument("--out", default="")
        s.add_argument("--send", action="store_true", help="E-mail and notify the recipients.")

    def handle(self, *args, which, store, start, end, kind, out, send, **options):
        shop = Store.objects.filter(code=store).first()
        if shop is None:
            raise CommandError(f"no store with code {store!r}")
        if start > end:
            raise CommandError("--from lies after --to")
        out = out or f"{kind}-{shop.code}-{start}-{end}.xlsx"
        with open(out, "wb") as fh:
            fh.write(summaries.build(kind, shop, start, end))
        if send:
            summaries.send(kind, shop, start, end)
        self.stdout.write(out)
