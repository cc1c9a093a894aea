from django.urls import path

from complaintdesk.reports import views

urlpatterns = [
    path("", views.dashboard, name="reports-dashboard"),
    path("figure/<slug:name>.xlsx", views.figure_xlsx, name="reports-figure-xlsx"),
    path("summary.xlsx", views.summary_xlsx, name="reports-summary-xlsx"),
    path("form/<int:pk>/print/", views.form_print, name="reports-form-print"),
    path("form/<int:pk>/sanction/", views.sanction_add, name="reports-sanction-add"),
    path("form/<int:pk>/notice/", views.notice_add, name="reports-notice-add"),
]
