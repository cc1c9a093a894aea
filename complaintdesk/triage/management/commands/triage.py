"""`complaintdesk triage evaluate | stats`: measure the triage suggestions (issue 6).

    complaintdesk triage evaluate [--labels PATH] [--data-dir PATH] [--write-calibration]
                                  [--calibration PATH] [--group CODE]
    complaintdesk triage stats [--group CODE]

`evaluate` suggests every hand-labelled complaint from its text and prints precision and recall
per nature, their micro and macro averages, severity and department accuracy, and how often each
confidence level was right; the last line is one JSON object with all of it. With
--write-calibration it writes the per-value precision to the calibration file that the
confidence levels read (complaintdesk/triage/data/calibration.json). A missing labels file or
data folder exits with status 2.

`stats` prints the live acceptance of the suggestions recorded at intake (TriageRecord): per
field and suggested value, how many filers decided and how many took the suggestion; last line
JSON.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from complaintdesk.complaints.demo import default_data_dir
from complaintdesk.org.models import DealerGroup
from complaintdesk.triage import engine, evaluation, selectors
from complaintdesk.triage.choices import Target
from complaintdesk.triage.models import TriageRecord


class Command(BaseCommand):
    help = "Measure the triage suggestions: evaluate on the hand labels, or live acceptance."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="which", required=True)
        ev = sub.add_parser("evaluate", help="Precision and recall per nature on the hand labels.")
        ev.add_argument("--labels", help=f"Labels CSV (default {selectors.LABELS_FILE}).")
        ev.add_argument(
            "--data-dir",
            help="Folder with the complaint CSVs (default: ../shared/data/complaints or "
            "$COMPLAINTDESK_SHARED_DATA).",
        )
        ev.add_argument(
            "--write-calibration",
            action="store_true",
            help="Write the measured precision per value to the calibration file.",
        )
        ev.add_argument(
            "--calibration",
            help=f"Calibration file to write (default {selectors.CALIBRATION_FILE}).",
        )
        ev.add_argument(
            "--group", help="Evaluate a dealer group's rules (code) instead of the built-in ones."
        )
        st = sub.add_parser("stats", help="Live acceptance of the recorded suggestions.")
        st.add_argument("--group", help="Only the stores of this dealer group (code).")

    def handle(self, *args, which, **options):
        if which == "evaluate":
            return self.evaluate(**options)
        return self.stats(**options)

    def _group(self, code):
        if not code:
            return None
        group = DealerGroup.objects.filter(code=code).first()
        if group is None:
            raise CommandError(f"no dealer group with code {code!r}", returncode=2)
        return group

    def evaluate(
        self,
        *,
        labels=None,
        data_dir=None,
        write_calibration=False,
        calibration=None,
        group=None,
        **_,
    ):
        labels_path = labels or selectors.LABELS_FILE
        folder = data_dir or default_data_dir()
        if folder is None:
            raise CommandError(
                "no data folder: give --data-dir or set COMPLAINTDESK_SHARED_DATA", returncode=2
            )
        group_obj = self._group(group)
        group_id = group_obj.pk if group_obj else None
        try:
            rows = evaluation.read_labels(labels_path)
            texts = evaluation.read_texts(folder, {r.file for r in rows})
            rules = selectors.compiled_rules(group_id)
            result = evaluation.evaluate(
                rows,
                texts,
                lambda summary, description: engine.suggest([summary, description], rules),
            )
        except evaluation.EvaluationError as exc:
            raise CommandError(str(exc), returncode=2) from None

        measured = result.calibration()
        if write_calibration:
            target = calibration or selectors.CALIBRATION_FILE
            evaluation.write_json(
                target,
                evaluation.calibration_document(
                    result,
                    labels_path=_relative(labels_path),
                    rules=group_obj.code if group_obj else "built-in",
                ),
            )
            self.stdout.write(f"calibration written to {target}")
            cal = engine.Calibration(shipped=measured)
        else:
            cal = engine.Calibration(shipped=selectors.shipped_calibration())
        data = evaluation.report(result, cal, labels_path=labels_path, data_dir=folder)
        data["rules"] = group_obj.code if group_obj else "built-in"
        data["calibration"] = "written" if write_calibration else "shipped"
        for line in evaluation.table_lines(data):
            self.stdout.write(line)
        self.stdout.write(json.dumps(data, ensure_ascii=False, sort_keys=False))

    def stats(self, *, group=None, **_):
        group_obj = self._group(group)
        records = TriageRecord.objects.all()
        if group_obj is not None:
            records = records.filter(store__group=group_obj)
        live = selectors.live_feedback(records)
        data = {
            "group": group_obj.code if group_obj else None,
            "records": records.count(),
            "by_entry": dict(
                sorted(
                    (e, records.filter(entry=e).count())
                    for e in set(records.values_list("entry", flat=True))
                )
            ),
        }
        self.stdout.write(f"{data['records']} suggestions recorded")
        for target in Target.values:
            rows = {}
            self.stdout.write(f"\n{target:<18} {'decided':>8} {'accepted':>9} {'rate':>6}")
            for value, (decided, accepted) in sorted(live.get(target, {}).items()):
                rate = accepted / decided if decided else 0.0
                rows[value] = {"decided": decided, "accepted": accepted, "rate": round(rate, 4)}
                self.stdout.write(f"{value:<18} {decided:>8} {accepted:>9} {rate:>6.3f}")
            decided = sum(r["decided"] for r in rows.values())
            accepted = sum(r["accepted"] for r in rows.values())
            rows_all = {
                "decided": decided,
                "accepted": accepted,
                "rate": round(accepted / decided, 4) if decided else None,
            }
            self.stdout.write(
                f"{'all':<18} {decided:>8} {accepted:>9} "
                + (f"{rows_all['rate']:>6.3f}" if decided else f"{'—':>6}")
            )
            data[target] = {"per_value": rows, "all": rows_all}
        self.stdout.write(json.dumps(data, ensure_ascii=False))


def _relative(path) -> str:
    from pathlib import Path

    p = Path(path).resolve()
    root = selectors.DATA_DIR.parents[2]
    try:
        return str(p.relative_to(root))
    except ValueError:
        return str(p)
