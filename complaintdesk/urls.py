from django.contrib import admin
from django.urls import include, path

from complaintdesk.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("notifications/", include("complaintdesk.notifications.urls")),
    path("reports/", include("complaintdesk.reports.urls")),
    path("followup/", include("complaintdesk.followup.urls")),
    path("guidance/", include("complaintdesk.guidance.urls")),
    path("triage/", include("complaintdesk.triage.urls")),
    path("warranty/", include("complaintdesk.warranty.urls")),
    path("", include("complaintdesk.complaints.urls")),
]
