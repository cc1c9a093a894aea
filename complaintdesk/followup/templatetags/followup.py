from django import template

from complaintdesk.followup.models import PendingMatter
from complaintdesk.followup.selectors import age_days, callback_events

register = template.Library()


@register.inclusion_tag("followup/_panel_body.html")
def followup_panel(complaint):
    """The complaint page's pending-matter and callback box. The page has already passed the
    access check for `complaint`."""
    matter = PendingMatter.objects.filter(complaint=complaint).first()
    return {
        "c": complaint,
        "m": matter,
        "age": age_days(matter) if matter else None,
        "callbacks": callback_events(complaint),
    }
