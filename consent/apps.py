from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsentConfig(AppConfig):
    name = "consent"
    verbose_name = _("Согласия на обработку персональных данных")

    def ready(self) -> None:
        from . import home

        home.register()  # the staff's links on class cards and the secretary's home page
