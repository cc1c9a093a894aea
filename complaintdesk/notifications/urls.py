from django.urls import path

from complaintdesk.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("bell/", views.bell, name="bell"),
    path("read-all/", views.mark_all_read, name="read-all"),
    path("settings/", views.preference_settings, name="settings"),
    path("<int:pk>/read/", views.mark_read, name="read"),
]
