"""The staff UI. Every page but the login requires a signed-in user."""

from django.contrib.auth import views as auth_views
from django.urls import path

from complaintdesk.complaints import views

urlpatterns = [
    path("", views.my_work, name="my-work"),
    path(
        "login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("me/absent/", views.set_absent, name="set-absent"),
    path("search/", views.search, name="search"),
    path("complaints/", views.complaint_list, name="complaint-list"),
    path("complaints/export.xlsx", views.complaint_export, name="complaint-export"),
    path("complaints/new/", views.complaint_new, name="complaint-new"),
    path(
        "complaints/number/<str:number>/",
        views.complaint_by_number,
        name="complaint-by-number",
    ),
    path("complaints/<int:pk>/", views.complaint_detail, name="complaint-detail"),
    path("complaints/<int:pk>/edit/", views.complaint_edit, name="complaint-edit"),
    path(
        "complaints/<int:pk>/act/<slug:action>/",
        views.complaint_act,
        name="complaint-act",
    ),
]
