"""Built-in rules added after 0001: words for a fault still there after an update or a repair
("后依然", "2nd time", "第四次", "多次故障"). Adds the missing built-in rules only; rules a dealer
group adapted stay as they are."""

from django.db import migrations


def load_default_rules(apps, schema_editor):
    from complaintdesk.triage.services import sync_default_rules

    sync_default_rules(apps.get_model("triage", "TriageRule"))


class Migration(migrations.Migration):
    dependencies = [("triage", "0001_initial")]

    operations = [migrations.RunPython(load_default_rules, migrations.RunPython.noop)]
