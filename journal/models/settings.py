"""Per-school journal settings and the table of work types with their weights."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from school.models import TimeStampedModel


class JournalSettings(TimeStampedModel):
    """The rules DOMAIN.md calls per-school settings."""

    school = models.OneToOneField(
        "school.School",
        on_delete=models.CASCADE,
        related_name="journal_settings",
        verbose_name=_("школа"),
    )
    max_tests_per_day = models.PositiveSmallIntegerField(
        _("контрольных работ в день в одном классе, не более"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    edit_window_days = models.PositiveSmallIntegerField(
        _("дней на исправление отметок задним числом"),
        default=7,
        help_text=_("Позже отметку может изменить только заместитель директора или директор."),
    )
    allow_future_marks = models.BooleanField(_("разрешены отметки за будущие уроки"), default=False)

    class Meta:
        verbose_name = _("настройки журнала")
        verbose_name_plural = _("настройки журнала")

    def __str__(self) -> str:
        return f"{self.school}: {self._meta.verbose_name}"


class WorkType(models.Model):
    """A kind of work a mark is given for (вид работы), with its weight in the average."""

    school = models.ForeignKey(
        "school.School",
        on_delete=models.CASCADE,
        related_name="work_types",
        verbose_name=_("школа"),
    )
    code = models.SlugField(_("код"), max_length=32)
    name = models.CharField(_("название"), max_length=100)
    short_name = models.CharField(_("сокращение"), max_length=16, blank=True)
    weight = models.PositiveSmallIntegerField(
        _("вес"), default=1, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    order = models.PositiveSmallIntegerField(_("порядок"), default=100)

    class Meta:
        verbose_name = _("вид работы")
        verbose_name_plural = _("виды работ")
        ordering = ["school", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "code"], name="worktype_unique_code"),
            models.CheckConstraint(
                condition=Q(weight__gte=1, weight__lte=10), name="worktype_weight_1_10"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (вес {self.weight})"


# code, name, short name, weight: DOMAIN.md section 2, a sensible default set.
DEFAULT_WORK_TYPES: list[tuple[str, str, str, int]] = [
    ("answer", "Ответ на уроке", "Отв", 1),
    ("classwork", "Работа на уроке", "Раб", 1),
    ("homework", "Домашняя работа", "ДЗ", 1),
    ("independent", "Самостоятельная работа", "С/р", 2),
    ("check", "Проверочная работа", "П/р", 2),
    ("dictation", "Диктант", "Дикт", 2),
    ("testing", "Тестирование", "Тест", 2),
    ("practical", "Практическая работа", "Пр", 2),
    ("lab", "Лабораторная работа", "Лаб", 2),
    ("essay", "Сочинение", "Соч", 3),
    ("presentation", "Изложение", "Изл", 3),
    ("test", "Контрольная работа", "К/р", 3),
    ("diagnostic", "Диагностическая работа", "Диаг", 3),
    ("credit", "Зачёт", "Зач", 3),
    ("project", "Проект", "Пр-т", 2),
    ("report", "Реферат", "Реф", 2),
    ("recitation", "Чтение наизусть", "Наиз", 1),
    ("exam", "Экзамен", "Экз", 5),
]
