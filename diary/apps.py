from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiaryConfig(AppConfig):
    name = "diary"
    verbose_name = _("Электронный дневник")

    def ready(self) -> None:
        from journal import signals as journal_signals
        from journal.signals import entry_changed
        from school.signals import enrolment_changed

        from . import receivers

        entry_changed.connect(receivers.on_entry_changed, dispatch_uid="diary.entry_changed")
        enrolment_changed.connect(
            receivers.on_enrolment_changed, dispatch_uid="diary.enrolment_changed"
        )
        # The journal asks, when an absence is recorded without a note, whether someone
        # already knows the reason: the family's absence report (docs/diary.md). Connected
        # once the journal declares the signal.
        absence_reason = getattr(journal_signals, "absence_reason", None)
        if absence_reason is not None:
            absence_reason.connect(
                receivers.on_absence_reason_requested, dispatch_uid="diary.absence_reason"
            )
