from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsentConfig(AppConfig):
    name = "consent"
    verbose_name = _("Согласия на обработку персональных данных")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from school import access

        from . import gate, home, middleware

        # The family gate: a guardian sees a child only while consent is in force.
        access.register_family_gate(gate.family_gate)
        user_logged_in.connect(middleware.check_at_login, dispatch_uid="consent.login")
        home.register()  # the staff's links on class cards, the secretary's and parent's home
