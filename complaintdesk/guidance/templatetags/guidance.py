from django import template

from complaintdesk.complaints.choices import Nature
from complaintdesk.guidance import selectors
from complaintdesk.guidance.choices import Effect
from complaintdesk.guidance.forms import ScriptUseForm

register = template.Library()


def panel_context(user, complaint, *, bound: ScriptUseForm | None = None) -> dict:
    """What the guidance panel shows this user for this complaint (SPEC §8). The page has
    already passed the access check for `complaint`. `bound` is a submitted form with errors,
    shown again under its script."""
    guidance = selectors.guidance_for_complaint(complaint)
    involved = selectors.is_involved(complaint, user)
    record_refusal = selectors.record_refusal(complaint, user)
    settle_refusal = selectors.settle_refusal(complaint, user)
    bound_script = bound.data.get("script") if bound is not None else None
    scripts = []
    for entry in guidance.scripts:
        branches = list(entry.branches.all())
        scripts.append(
            {
                "entry": entry,
                "branches": branches,
                "ends": any(b.effect == Effect.ENDS for b in branches),
                "form": bound if bound_script == entry.code else None,
                # The natures the script fits, offered when the form has none judged yet.
                "natures": [(v, label) for v, label in Nature.choices if v in entry.natures]
                or Nature.choices,
            }
        )
    # A submitted script that is not (or no longer) listed still says what went wrong.
    orphan_errors = []
    if bound is not None and not any(s["form"] is not None for s in scripts):
        orphan_errors = [str(e) for errors in bound.errors.values() for e in errors]
    return {
        "c": complaint,
        "orphan_errors": orphan_errors,
        "show": not involved and bool(guidance.principles or scripts or guidance.phrases),
        "principles": guidance.principles,
        "scripts": scripts,
        "phrases": guidance.phrases,
        "can_record": record_refusal is None,
        "settle_refusal": settle_refusal,
        "need_nature": not complaint.nature,
        "uses": selectors.uses_of(complaint),
        "ENDS": Effect.ENDS,
    }


@register.inclusion_tag("guidance/_panel_body.html", takes_context=True)
def guidance_panel(context, complaint):
    """The complaint page's playbook box: principles, the scripts and hotline phrases that fit
    this complaint's nature and step, and recording the customer's answer."""
    return panel_context(context["request"].user, complaint)


@register.filter
def guidance_value(value, name):
    """A stored value of an entry as text: natures, steps, remedies and effects by their labels."""
    from complaintdesk.guidance.display import value_text

    return value_text(name, value)
