from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "complaintdesk.core"
    label = "core"
