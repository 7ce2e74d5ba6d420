from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("создано"), auto_now_add=True)
    updated_at = models.DateTimeField(_("изменено"), auto_now=True)

    class Meta:
        abstract = True


class Gender(models.TextChoices):
    MALE = "m", _("мужской")
    FEMALE = "f", _("женский")


class PersonName(models.Model):
    """Russian full name: фамилия, имя, отчество (the patronymic may be absent)."""

    last_name = models.CharField(_("фамилия"), max_length=100)
    first_name = models.CharField(_("имя"), max_length=100)
    middle_name = models.CharField(_("отчество"), max_length=100, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p)

    @property
    def initials(self) -> str:
        """«П. С.» (the patronymic's letter only when there is one)."""
        return " ".join(f"{p[0]}." for p in (self.first_name, self.middle_name) if p)

    @property
    def short_name(self) -> str:
        """«Иванов П. С.»: how journals and lists write a person."""
        return f"{self.last_name} {self.initials}".strip()
