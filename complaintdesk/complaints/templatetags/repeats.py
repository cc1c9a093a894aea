from django import template

from complaintdesk.complaints.repeats import related

register = template.Library()


@register.inclusion_tag("complaints/_repeats_panel.html", takes_context=True)
def repeats_panel(context, complaint):
    """The complaint page's box of earlier complaints of the same customer or vehicle and of
    similar open ones, within the stores the viewing user may see."""
    user = context["request"].user
    return {"c": complaint, "rel": related(user, complaint)}
