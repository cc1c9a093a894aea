from django import template

from complaintdesk.triage import presenters, selectors
from complaintdesk.triage.choices import Target

register = template.Library()


@register.inclusion_tag("triage/_record_panel.html")
def triage_panel(complaint):
    """The complaint page's triage box: the suggestion recorded at intake beside what the filer
    chose. The page has already passed the access check for `complaint`."""
    record = selectors.record_for(complaint)
    if record is None:
        return {"record": None}
    rows = presenters.field_rows(record.reasons or {})
    chosen = {
        Target.NATURE: (record.chosen_nature, record.nature_accepted),
        Target.SEVERITY: (record.chosen_severity, record.severity_accepted),
        Target.DEPARTMENT: (record.chosen_department, record.department_accepted),
    }
    for row in rows:
        value, accepted = chosen[row["target"]]
        row["chosen_label"] = presenters.value_label(row["target"], value)
        row["accepted"] = accepted
    return {"record": record, "rows": rows, "c": complaint}


@register.filter
def edits_triage_rules(user) -> bool:
    """For the navigation: the user is a CS director somewhere, so /triage/rules/ is theirs."""
    return bool(selectors.directed_group_ids(user))


@register.filter
def rule_note(note: str) -> str:
    """{{ rule.note|rule_note }}: the note in the reader's language (presenters.shown_note)."""
    return presenters.shown_note(note)
