from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiaryConfig(AppConfig):
    name = "diary"
    verbose_name = _("Электронный дневник")

    def ready(self) -> None:
        from journal.signals import entry_changed
        from school.signals import enrolment_changed

        from . import receivers

        entry_changed.connect(receivers.on_entry_changed, dispatch_uid="diary.entry_changed")
        enrolment_changed.connect(
            receivers.on_enrolment_changed, dispatch_uid="diary.enrolment_changed"
        )
