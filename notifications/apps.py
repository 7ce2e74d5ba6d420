from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Уведомления")

    def ready(self) -> None:
        from consent.signals import consent_closed, contact_code_requested
        from journal.signals import entry_changed

        # tasks: registered in every process, so a task published by name (outbox,
        # confirmations) runs eagerly where there is no broker.
        from . import confirmations, receivers, tasks  # noqa: F401

        entry_changed.connect(
            receivers.on_entry_changed, dispatch_uid="notifications.entry_changed"
        )
        consent_closed.connect(
            receivers.on_consent_closed, dispatch_uid="notifications.consent_closed"
        )
        contact_code_requested.connect(
            confirmations.on_code_requested, dispatch_uid="notifications.contact_code"
        )
