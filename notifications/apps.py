from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Уведомления")

    def ready(self) -> None:
        from consent.signals import consent_closed
        from journal.signals import entry_changed

        from . import confirmations, receivers

        entry_changed.connect(
            receivers.on_entry_changed, dispatch_uid="notifications.entry_changed"
        )
        consent_closed.connect(
            receivers.on_consent_closed, dispatch_uid="notifications.consent_closed"
        )
        confirmations.register()

        from . import export

        export.register()  # sections of the personal-data export (consent.export)
