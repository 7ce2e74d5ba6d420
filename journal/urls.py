from django.urls import path

from . import views

app_name = "journal"

urlpatterns = [
    path("day/", views.my_day, name="my_day"),
    path("classes/<int:class_id>/", views.class_journals, name="class_journals"),
    path("classes/<int:class_id>/tests/", views.test_schedule, name="test_schedule"),
    path("classes/<int:class_id>/messages/", views.class_messages, name="messages"),
    path(
        "classes/<int:class_id>/subjects/<int:subject_id>/",
        views.grid,
        name="grid",
    ),
    path("lessons/<int:lesson_id>/", views.lesson_page, name="lesson"),
    path("lessons/<int:lesson_id>/edit/", views.lesson_update, name="lesson_update"),
    path("lessons/<int:lesson_id>/columns/", views.column_add, name="column_add"),
    path("lessons/<int:lesson_id>/homework/", views.homework_add, name="homework_add"),
    path("lessons/<int:lesson_id>/remarks/", views.remark_add, name="remark_add"),
    path("lessons/<int:lesson_id>/substitute/", views.lesson_substitute, name="lesson_substitute"),
    path("lessons/<int:lesson_id>/move/", views.lesson_move, name="lesson_move"),
    path("lessons/<int:lesson_id>/cancel/", views.lesson_cancel, name="lesson_cancel"),
    path("lessons/<int:lesson_id>/history/", views.lesson_history, name="lesson_history"),
    path(
        "lessons/<int:lesson_id>/cells/<int:student_id>/<int:position>/",
        views.cell,
        name="cell",
    ),
    path(
        "lessons/<int:lesson_id>/cells/<int:student_id>/history/",
        views.cell_history,
        name="cell_history",
    ),
    path("homework/<int:homework_id>/edit/", views.homework_edit, name="homework_edit"),
    path("homework/<int:homework_id>/delete/", views.homework_delete, name="homework_delete"),
    path("files/<int:attachment_id>/", views.attachment, name="attachment"),
]
