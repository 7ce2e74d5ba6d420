from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

urlpatterns = [
    path("admin/", admin.site.urls),
    # The language switch is on the login page too, so it must work before login.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("journal/", include("journal.urls")),
    path("notifications/", include("notifications.urls")),
    path("diary/", include("diary.urls")),
    path("consent/", include("consent.urls")),
    path("", include("school.urls")),
]
