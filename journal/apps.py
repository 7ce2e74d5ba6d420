from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JournalConfig(AppConfig):
    name = "journal"
    verbose_name = _("Классный журнал")

    def ready(self) -> None:
        # Today's lessons on a teacher's home page, the journal's links on a class card.
        from school import extensions

        from . import home

        extensions.register_home_section(
            extensions.HomeSection(
                slot="teacher", template="journal/home_today.html", context=home.today_section
            )
        )
        extensions.register_class_links(home.class_links)
