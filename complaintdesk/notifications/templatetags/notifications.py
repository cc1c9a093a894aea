"""{% load notifications %}{% notification_bell %}: the bell for the navigation bar."""

from django import template

from complaintdesk.notifications import selectors

register = template.Library()


@register.inclusion_tag("notifications/_bell.html", takes_context=True)
def notification_bell(context):
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if user is None or not user.is_authenticated:
        return {"hidden": True}
    return {**selectors.bell(user), "request": request}
