from django.urls import path

from complaintdesk.warranty import views

app_name = "warranty"
urlpatterns = [
    path("complaints/<int:pk>/facts/", views.facts, name="facts"),
    path("complaints/<int:pk>/visits/", views.visit_save, name="visit-save"),
    path("complaints/<int:pk>/visits/<int:visit_id>/fault/", views.visit_fault, name="visit-fault"),
    path(
        "complaints/<int:pk>/visits/<int:visit_id>/delete/", views.visit_delete, name="visit-delete"
    ),
    path("import/", views.import_page, name="import"),
    path("thresholds/", views.thresholds, name="thresholds"),
    path("thresholds/<int:pk>/delete/", views.threshold_delete, name="threshold-delete"),
]
