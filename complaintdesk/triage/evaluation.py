"""Measuring the triage on hand labels (`complaintdesk triage evaluate`, issue 6).

The labels (data/labels.csv: file,source_id,nature,severity,department,note) name complaints of
the shared real-complaint files by their source id; the texts are read at run time from the data
folder (never stored in the repository). Each labelled complaint is suggested from its text the
way an import would see it (title → summary, text → description) and compared with its labels.

Figures, per nature: support (labelled with it), predicted (suggested), TP (both), precision =
TP / predicted, recall = TP / support. A complaint without any suggestion counts against recall
only. Micro averages pool the counts over natures; macro averages are the plain mean over the
natures that were labelled or suggested at least once (a nature never suggested has precision 0,
one never labelled recall 0). Severity and department: accuracy over all labelled complaints
(no suggestion counts as wrong), and precision per suggested value for the calibration.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from complaintdesk.complaints.choices import Nature, Severity
from complaintdesk.org.models import DepartmentKind
from complaintdesk.triage import engine
from complaintdesk.triage.choices import Target

FILES = ("12365auto_zh", "nhtsa_en", "cfpb_vehicle_loan_en")
LABEL_COLUMNS = ("file", "source_id", "nature", "severity", "department")
SUMMARY_MAX = 200


class EvaluationError(Exception):
    """The labels or the data cannot be read; the command exits with status 2."""


@dataclass(frozen=True)
class Label:
    line: int
    file: str
    source_id: str
    nature: str
    severity: str
    department: str


def read_labels(path) -> list[Label]:
    path = Path(path)
    if not path.is_file():
        raise EvaluationError(f"labels file not found: {path}")
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in LABEL_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise EvaluationError(f"{path}: missing column(s) {', '.join(missing)}")
        labels = []
        for row in reader:
            line = reader.line_num
            values = {c: (row.get(c) or "").strip() for c in LABEL_COLUMNS}
            for column, allowed in (
                ("file", FILES),
                ("nature", Nature.values),
                ("severity", Severity.values),
                ("department", DepartmentKind.values),
            ):
                if values[column] not in allowed:
                    raise EvaluationError(
                        f"{path}, line {line}, column {column}: unknown value "
                        f"{values[column]!r} (expected one of {', '.join(allowed)})"
                    )
            if not values["source_id"]:
                raise EvaluationError(f"{path}, line {line}, column source_id: empty")
            labels.append(Label(line, **values))
    if not labels:
        raise EvaluationError(f"{path}: no labels")
    return labels


def read_texts(data_dir, files) -> dict[tuple[str, str], tuple[str, str]]:
    """(file, source_id) → (summary, description) for the named files of the data folder."""
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise EvaluationError(f"data folder not found: {data_dir}")
    # The shared folder itself or its data/ will do, as for the demo.
    for inner in (data_dir / "data" / "complaints", data_dir / "complaints"):
        if not any(data_dir.glob("*.csv")) and inner.is_dir():
            data_dir = inner
    texts = {}
    for name in sorted(set(files)):
        path = data_dir / f"{name}.csv"
        if not path.is_file():
            raise EvaluationError(f"data file not found: {path}")
        with path.open(encoding="utf-8-sig", newline="") as fh:
            for row in csv.DictReader(fh):
                title = (row.get("title") or "").strip()
                text = (row.get("text") or "").strip()
                texts[(name, (row.get("source_id") or "").strip())] = (
                    (title or text)[:SUMMARY_MAX],
                    text or title,
                )
    return texts


@dataclass
class Tally:
    support: int = 0
    predicted: int = 0
    tp: int = 0

    @property
    def precision(self) -> float:
        return self.tp / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.support if self.support else 0.0

    def as_dict(self) -> dict:
        return {
            "support": self.support,
            "predicted": self.predicted,
            "tp": self.tp,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
        }


@dataclass
class Outcome:
    label: Label
    suggestion: engine.Suggestion


@dataclass
class Result:
    labels: int = 0
    evaluated: int = 0
    missing: list[str] = field(default_factory=list)
    tallies: dict[str, dict[str, Tally]] = field(default_factory=dict)  # target → value → tally
    outcomes: list[Outcome] = field(default_factory=list)

    def tally(self, target: str, value: str) -> Tally:
        return self.tallies.setdefault(target, {}).setdefault(value, Tally())

    def accuracy(self, target: str) -> float:
        tp = sum(t.tp for t in self.tallies.get(target, {}).values())
        return tp / self.evaluated if self.evaluated else 0.0

    def averages(self) -> dict:
        natures = {v: t for v, t in self.tallies.get(Target.NATURE, {}).items() if v}
        used = [t for t in natures.values() if t.support or t.predicted]
        tp = sum(t.tp for t in used)
        predicted = sum(t.predicted for t in used)
        support = sum(t.support for t in used)
        return {
            "micro": {
                "precision": round(tp / predicted, 4) if predicted else 0.0,
                "recall": round(tp / support, 4) if support else 0.0,
            },
            "macro": {
                "precision": round(sum(t.precision for t in used) / len(used), 4) if used else 0.0,
                "recall": round(sum(t.recall for t in used) / len(used), 4) if used else 0.0,
                "natures": len(used),
            },
        }

    def calibration(self) -> dict:
        """{target: {value: {precision, predicted, support, tp}}} for values ever suggested or
        labelled: what engine.Calibration reads."""
        out: dict = {}
        for target, values in self.tallies.items():
            out[target] = {
                v: {
                    "precision": round(t.precision, 4),
                    "predicted": t.predicted,
                    "support": t.support,
                    "tp": t.tp,
                }
                for v, t in sorted(values.items())
                if v
            }
        return out

    def confidence_table(self, calibration: engine.Calibration) -> dict:
        """How often the nature suggestions of each confidence level were right, with the given
        calibration (in-sample when the calibration was computed on these labels)."""
        table = {level: {"n": 0, "right": 0} for level in ("high", "medium", "low")}
        for o in self.outcomes:
            f = o.suggestion.nature
            if not f.value:
                continue
            estimate = calibration.estimate(Target.NATURE, f.value)
            level = engine.confidence_level(estimate, clear=f.clear, tie=f.tie)
            table[level]["n"] += 1
            table[level]["right"] += int(f.value == o.label.nature)
        for row in table.values():
            row["precision"] = round(row["right"] / row["n"], 4) if row["n"] else None
        return table


Predict = Callable[[str, str], engine.Suggestion]


def evaluate(labels: list[Label], texts: dict, predict: Predict) -> Result:
    result = Result(labels=len(labels))
    for label in labels:
        text = texts.get((label.file, label.source_id))
        if text is None:
            result.missing.append(f"{label.file}:{label.source_id}")
            continue
        s = predict(*text)
        result.evaluated += 1
        result.outcomes.append(Outcome(label, s))
        for target in Target.values:
            truth = getattr(label, target)
            guess = s.field(target).value
            result.tally(target, truth).support += 1
            if guess:
                result.tally(target, guess).predicted += 1
                if guess == truth:
                    result.tally(target, guess).tp += 1
    if not result.evaluated:
        raise EvaluationError(
            "none of the labelled complaints was found in the data folder "
            f"({len(result.missing)} missing)"
        )
    return result


def report(result: Result, calibration: engine.Calibration, *, labels_path="", data_dir="") -> dict:
    natures = result.tallies.get(Target.NATURE, {})
    return {
        "labels": str(labels_path),
        "data_dir": str(data_dir),
        "rows": result.labels,
        "evaluated": result.evaluated,
        "missing": len(result.missing),
        "nature": {v: natures[v].as_dict() for v in Nature.values if v in natures},
        **result.averages(),
        "coverage": round(sum(t.predicted for t in natures.values()) / result.evaluated, 4),
        "severity": {
            "accuracy": round(result.accuracy(Target.SEVERITY), 4),
            "per_value": {
                v: t.as_dict() for v, t in sorted(result.tallies.get(Target.SEVERITY, {}).items())
            },
        },
        "department": {
            "accuracy": round(result.accuracy(Target.DEPARTMENT), 4),
            "per_value": {
                v: t.as_dict() for v, t in sorted(result.tallies.get(Target.DEPARTMENT, {}).items())
            },
        },
        "confidence": result.confidence_table(calibration),
    }


def table_lines(data: dict) -> list[str]:
    """The human-readable table the command prints before its JSON line."""
    lines = [
        f"{data['evaluated']} of {data['rows']} labelled complaints evaluated"
        + (f" ({data['missing']} not found in the data folder)" if data["missing"] else ""),
        "",
        f"{'nature':<18} {'support':>7} {'predicted':>9} {'TP':>4} {'precision':>9} {'recall':>7}",
    ]
    for value, t in data["nature"].items():
        lines.append(
            f"{value:<18} {t['support']:>7} {t['predicted']:>9} {t['tp']:>4} "
            f"{t['precision']:>9.3f} {t['recall']:>7.3f}"
        )
    lines += [
        f"{'micro average':<40} {data['micro']['precision']:>9.3f} {data['micro']['recall']:>7.3f}",
        f"{'macro average':<40} {data['macro']['precision']:>9.3f} {data['macro']['recall']:>7.3f}",
        f"coverage (a nature was suggested): {data['coverage']:.3f}",
        f"severity accuracy:   {data['severity']['accuracy']:.3f}",
        f"department accuracy: {data['department']['accuracy']:.3f}",
        "nature suggestions by confidence level (right / shown):",
    ]
    for level, row in data["confidence"].items():
        share = f"{row['precision']:.3f}" if row["precision"] is not None else "—"
        lines.append(f"  {level:<7} {row['right']:>4} / {row['n']:<4} {share}")
    return lines


def calibration_document(result: Result, *, labels_path, rules: str) -> dict:
    return {
        "generated_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "labels": str(labels_path),
        "rules": rules,
        "evaluated": result.evaluated,
        **result.calibration(),
    }


def write_json(path, data) -> None:
    Path(path).write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
