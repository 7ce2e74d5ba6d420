from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Электронный журнал: администрирование"
admin.site.site_title = "Электронный журнал"
admin.site.index_title = "Справочники и данные школы"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("school.urls")),
]
