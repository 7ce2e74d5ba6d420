from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsentConfig(AppConfig):
    name = "consent"
    verbose_name = _("Согласия на обработку персональных данных")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from . import middleware

        user_logged_in.connect(middleware.check_at_login, dispatch_uid="consent.login")
