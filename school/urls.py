from django.contrib.auth import views as auth_views
from django.urls import path

from . import views
from .auth_views import LoginView

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("schools/<int:school_id>/", views.school_overview, name="school_overview"),
    path("schools/<int:school_id>/roster/", views.roster, name="roster"),
    path("classes/<int:class_id>/", views.class_detail, name="class_detail"),
    path("students/<int:student_id>/", views.student_detail, name="student"),
    path("students/<int:student_id>/transfer/", views.student_transfer, name="student_transfer"),
    path("healthz", views.healthz, name="healthz"),
]
