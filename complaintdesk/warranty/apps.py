from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WarrantyConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "complaintdesk.warranty"
    verbose_name = _("Three guarantees (三包) and repair history")
