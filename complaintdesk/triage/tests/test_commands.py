"""`complaintdesk triage stats` and `evaluate` on the real hand labels."""

import json
import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from complaintdesk.complaints.tests.factories import new_complaint
from complaintdesk.triage import selectors

SHARED = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "complaints"


@pytest.mark.django_db
def test_stats_counts_decisions_per_suggested_value(shop, capsys):
    # Suggested quality three times: accepted twice, changed once; a fourth left open.
    new_complaint(shop, summary="发动机异响", description="漏油", nature="quality")
    new_complaint(shop, summary="变速箱异响", description="异响", nature="quality")
    new_complaint(shop, summary="天窗异响", description="异响", nature="delay")
    new_complaint(shop, summary="座椅异响", description="异响")
    call_command("triage", "stats")
    data = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert data["records"] == 4
    assert data["by_entry"] == {"other": 4}
    assert data["nature"]["per_value"] == {"quality": {"decided": 3, "accepted": 2, "rate": 0.6667}}
    # Every new complaint has a severity (ordinary, as suggested): 4 of 4.
    assert data["severity"]["all"] == {"decided": 4, "accepted": 4, "rate": 1.0}
    assert data["department"]["all"] == {"decided": 0, "accepted": 0, "rate": None}


@pytest.mark.django_db
def test_stats_for_an_unknown_group_exits_2():
    with pytest.raises(CommandError) as exc:
        call_command("triage", "stats", "--group", "nope")
    assert exc.value.returncode == 2


# Outside CI a checkout without ../shared skips this one, saying why; CI always has the folder.
@pytest.mark.skipif(
    not SHARED.is_dir() and not os.environ.get("CI"),
    reason=f"the shared folder of real complaints is missing: {SHARED}",
)
@pytest.mark.django_db
def test_evaluate_on_the_real_labels_prints_json_last(capsys):
    call_command("triage", "evaluate", "--data-dir", str(SHARED))
    lines = capsys.readouterr().out.strip().splitlines()
    report = json.loads(lines[-1])
    assert report["evaluated"] >= 200
    assert report["missing"] == 0
    assert set(report) >= {"nature", "micro", "macro", "severity", "department", "confidence"}
    assert sum(n["support"] for n in report["nature"].values()) == report["evaluated"]
    assert Path(report["labels"]) == selectors.LABELS_FILE
