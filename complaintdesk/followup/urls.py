from django.urls import path

from complaintdesk.followup import views

app_name = "followup"
urlpatterns = [
    path("pending/", views.ledger, name="ledger"),
    path("pending/export.xlsx", views.ledger_export, name="ledger-export"),
    path("pending/<int:pk>/", views.matter_detail, name="matter"),
    path("pending/<int:pk>/contact/", views.contact_add, name="contact-add"),
    path("pending/<int:pk>/home-visit/", views.home_visit, name="home-visit"),
    path("callbacks/", views.callback_queue, name="callbacks"),
    path("callbacks/<int:pk>/", views.callback_record, name="callback-record"),
    path("lookup/", views.lookup, name="lookup"),
]
