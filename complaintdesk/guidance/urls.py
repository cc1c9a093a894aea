from django.urls import path

from complaintdesk.guidance import views

app_name = "guidance"
urlpatterns = [
    path("", views.entry_list, name="entries"),
    path("complaints/<int:pk>/script-uses/", views.script_use_add, name="script-use"),
    path("<int:store_id>/<slug:code>/", views.entry_detail, name="entry"),
    path("<int:store_id>/<slug:code>/edit/", views.entry_edit, name="entry-edit"),
    path("<int:store_id>/<slug:code>/history/", views.entry_history, name="entry-history"),
    path("<int:store_id>/<slug:code>/reset/", views.entry_reset, name="entry-reset"),
]
