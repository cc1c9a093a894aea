from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "complaintdesk.followup"
    verbose_name = _("Pending matters and callbacks")

    def ready(self):
        # The monthly reminder registers itself in deadlines.jobs.JOBS.
        from complaintdesk.followup import tasks  # noqa: F401
