from django import template

register = template.Library()


@register.filter
def sees_dashboard(user) -> bool:
    from complaintdesk.reports.selectors import dashboard_store_ids

    return bool(user.is_authenticated and dashboard_store_ids(user))


@register.simple_tag
def can_take(complaint, user, action_name) -> bool:
    """Whether `user` may take this workflow action on the complaint now."""
    from complaintdesk.complaints.workflow import available_actions

    return any(a.name == action_name for a in available_actions(complaint, user))


@register.simple_tag
def proportion_choices():
    from complaintdesk.reports.models import Proportion

    return Proportion.choices
