from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "complaintdesk.reports"
    verbose_name = _("Supervision and reports")

    def ready(self):
        # The scheduled summaries register themselves in the deadlines job registry.
        from complaintdesk.complaints.action_forms import ACTION_LABELS
        from complaintdesk.complaints.schemas import ACTION_PARAM_TYPES
        from complaintdesk.reports import tasks  # noqa: F401
        from complaintdesk.reports.models import Proportion

        # The API documents the parameters of the `assess` action registered in reports.actions.
        ACTION_PARAM_TYPES[("assess", "proportion")] = (
            Proportion,
            "处理尺度: `ok` (in proportion), `lenient` (too lenient) or `harsh` (too harsh).",
        )
        ACTION_PARAM_TYPES[("assess", "note")] = (
            str,
            "What was out of proportion (required unless `ok`).",
        )
        ACTION_LABELS[("assess", "proportion")] = _("Proportion of the handling")
        ACTION_LABELS[("assess", "note")] = _("Assessment note")
