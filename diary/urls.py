from django.urls import path

from . import views

app_name = "diary"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:student_id>/", views.week, name="week"),
    path("<int:student_id>/marks/", views.marks, name="marks"),
    path("<int:student_id>/finals/", views.finals, name="finals"),
    path("<int:student_id>/tests/", views.tests, name="tests"),
    path("<int:student_id>/teachers/", views.teachers, name="teachers"),
    path("<int:student_id>/holidays/", views.holidays, name="holidays"),
    path("<int:student_id>/messages/", views.messages_page, name="messages"),
    path("<int:student_id>/record/", views.record, name="record"),
    path("<int:student_id>/absence/", views.report_absence, name="report_absence"),
    path(
        "<int:student_id>/files/<int:attachment_id>/",
        views.attachment,
        name="attachment",
    ),
    path("classes/<int:class_id>/absences/", views.absence_reports, name="absence_reports"),
    path(
        "classes/<int:class_id>/absences/seen/",
        views.absence_reports_seen,
        name="absence_reports_seen",
    ),
]
