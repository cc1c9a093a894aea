"""`complaintdesk triage evaluate`: the arithmetic on a tiny hand-labelled set (figures worked out
by hand below), the calibration it writes, and clear failures for missing inputs."""

import csv
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from complaintdesk.triage import engine, evaluation
from complaintdesk.triage.tests.test_engine import RULES

DATA_COLUMNS = ["source", "source_id", "date", "title", "text", "category"]
ZH_ROWS = {
    "1": "发动机异响",
    "2": "销售员态度很差",
    "3": "漏油，存在隐患，态度差",
    "4": "多次维修",
}
EN_ROWS = {
    "10": "The car stalled and I was injured.",
    "11": "Engine noise. The dealer was rude.",
}
LABELS = [
    ("12365auto_zh", "1", "quality", "ordinary", "service"),
    ("12365auto_zh", "2", "attitude", "ordinary", "service"),
    ("12365auto_zh", "3", "quality", "major", "service"),
    ("12365auto_zh", "4", "repeat_repair", "major", "service"),
    ("nhtsa_en", "10", "quality", "critical", "service"),
    ("nhtsa_en", "11", "unclear_quality", "ordinary", "service"),
    ("nhtsa_en", "99", "quality", "ordinary", "service"),  # not in the data folder
]


def write_csv(path, header, rows):
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)


@pytest.fixture
def labelled(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    for name, rows in (("12365auto_zh", ZH_ROWS), ("nhtsa_en", EN_ROWS)):
        write_csv(
            data / f"{name}.csv",
            DATA_COLUMNS,
            [("test", sid, "2024-01-01", text, text, "") for sid, text in rows.items()],
        )
    labels = tmp_path / "labels.csv"
    write_csv(
        labels,
        ["file", "source_id", "nature", "severity", "department", "note"],
        [(*row, "") for row in LABELS],
    )
    return labels, data


def test_precision_and_recall_worked_out_by_hand(labelled):
    labels_path, data = labelled
    rules = engine.compile_rules(RULES)
    labels = evaluation.read_labels(labels_path)
    result = evaluation.evaluate(
        labels,
        evaluation.read_texts(data, {row.file for row in labels}),
        lambda summary, description: engine.suggest([summary, description], rules),
    )
    # What the small rule set suggests (see test_engine): 1 quality, 2 attitude (态度), 3 quality
    # (漏油 3 > 态度 2.5), 4 repeat_repair, 10 quality (stalled), 11 attitude (rude; no rule
    # knows "noise"). 99 is missing from the data.
    report = evaluation.report(result, engine.Calibration())
    assert (report["rows"], report["evaluated"], report["missing"]) == (7, 6, 1)
    assert report["nature"] == {
        "quality": {"support": 3, "predicted": 3, "tp": 3, "precision": 1.0, "recall": 1.0},
        "attitude": {"support": 1, "predicted": 2, "tp": 1, "precision": 0.5, "recall": 1.0},
        "repeat_repair": {"support": 1, "predicted": 1, "tp": 1, "precision": 1.0, "recall": 1.0},
        "unclear_quality": {"support": 1, "predicted": 0, "tp": 0, "precision": 0.0, "recall": 0.0},
    }
    # micro: 5 right of 6 suggested, 5 found of 6 labelled
    assert report["micro"] == {"precision": 0.8333, "recall": 0.8333}
    # macro over 4 natures: precision (1 + 0.5 + 1 + 0) / 4, recall (1 + 1 + 1 + 0) / 4
    assert report["macro"] == {"precision": 0.625, "recall": 0.75, "natures": 4}
    assert report["coverage"] == 1.0
    # severity: all right but 4 (no severity rule for 多次维修 → ordinary, labelled major)
    assert report["severity"]["accuracy"] == 0.8333
    # department: all right but 2 (销售 → sales, labelled service)
    assert report["department"]["accuracy"] == 0.8333
    assert result.calibration()["nature"]["attitude"] == {
        "precision": 0.5,
        "predicted": 2,
        "support": 1,
        "tp": 1,
    }


@pytest.mark.django_db
def test_command_prints_the_table_and_json_last(labelled, tmp_path, capsys):
    labels, data = labelled
    target = tmp_path / "written.json"
    call_command(
        "triage",
        "evaluate",
        "--labels",
        str(labels),
        "--data-dir",
        str(data),
        "--write-calibration",
        "--calibration",
        str(target),
    )
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0] == f"calibration written to {target}"
    assert any(line.startswith("micro average") for line in lines)
    report = json.loads(lines[-1])
    assert (report["evaluated"], report["missing"], report["rules"]) == (6, 1, "built-in")
    # The built-in rules on these texts: 1 quality (异响), 4 repeat repair (多次维修).
    assert report["nature"]["repeat_repair"]["tp"] == 1
    assert report["nature"]["quality"]["tp"] >= 1
    written = json.loads(target.read_text(encoding="utf-8"))
    assert written["evaluated"] == 6
    for nature, figures in report["nature"].items():
        if figures["predicted"]:
            assert written["nature"][nature]["precision"] == figures["precision"]
            assert written["nature"][nature]["predicted"] == figures["predicted"]


@pytest.mark.django_db
@pytest.mark.parametrize("missing", ["labels", "data"])
def test_missing_inputs_exit_with_status_2(labelled, tmp_path, missing):
    labels, data = labelled
    args = ["--labels", str(labels), "--data-dir", str(data)]
    args[1 if missing == "labels" else 3] = str(tmp_path / "nowhere")
    with pytest.raises(CommandError) as exc:
        call_command("triage", "evaluate", *args)
    assert exc.value.returncode == 2
    assert "not found" in str(exc.value)


@pytest.mark.django_db
def test_a_bad_label_value_names_its_line(labelled):
    labels, data = labelled
    text = labels.read_text(encoding="utf-8").replace("unclear_quality", "unclear")
    labels.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        call_command("triage", "evaluate", "--labels", str(labels), "--data-dir", str(data))
    assert exc.value.returncode == 2
    assert "line 7, column nature" in str(exc.value)


def test_the_shared_folder_itself_is_accepted_as_data_folder(tmp_path):
    from complaintdesk.triage.evaluation import read_texts

    inner = tmp_path / "data" / "complaints"
    inner.mkdir(parents=True)
    (inner / "mini.csv").write_text(
        "source_id,title,text\n7,刹车异响,刹车异响三次\n", encoding="utf-8"
    )
    # Given the shared folder (as COMPLAINTDESK_SHARED_DATA may be), the CSVs are found below it.
    assert read_texts(tmp_path, ["mini"]) == read_texts(inner, ["mini"])
    assert len(read_texts(tmp_path, ["mini"])) == 1
