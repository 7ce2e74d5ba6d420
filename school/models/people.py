"""People: students, guardians and their kinship, staff positions."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .base import Gender, PersonName, TimeStampedModel


class Student(PersonName, TimeStampedModel):
    school = models.ForeignKey(
        "school.School", on_delete=models.PROTECT, related_name="students", verbose_name=_("школа")
    )
    user = models.OneToOneField(
        "school.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="student",
        verbose_name=_("учётная запись"),
    )
    gender = models.CharField(_("пол"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("дата рождения"))
    external_id = models.CharField(_("внешний идентификатор"), max_length=64, blank=True)

    # «Изменить обучающегося»: the admin's titles (school.admin_site).
    verbose_name_accusative = _("обучающегося")

    class Meta:
        verbose_name = _("обучающийся")
        verbose_name_plural = _("обучающиеся")
        ordering = ["last_name", "first_name", "middle_name"]
        indexes = [models.Index(fields=["school", "last_name", "first_name"])]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "external_id"],
                condition=~Q(external_id=""),
                name="student_unique_external_id",
            ),
        ]


class Guardian(PersonName, TimeStampedModel):
    """A parent or other legal representative. May exist without a login (an offline
    family); a staff member who is also a parent shares one ``User``."""

    user = models.OneToOneField(
        "school.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="guardian",
        verbose_name=_("учётная запись"),
    )
    gender = models.CharField(_("пол"), max_length=1, choices=Gender.choices)

    # «Изменить родителя (законного представителя)»: the admin's titles (school.admin_site).
    verbose_name_accusative = _("родителя (законного представителя)")

    class Meta:
        verbose_name = _("родитель (законный представитель)")
        verbose_name_plural = _("родители (законные представители)")
        ordering = ["last_name", "first_name", "middle_name"]


class Relation(models.TextChoices):
    MOTHER = "mother", _("мать")
    FATHER = "father", _("отец")
    GRANDMOTHER = "grandmother", _("бабушка")
    GRANDFATHER = "grandfather", _("дедушка")
    GUARDIAN = "guardian", _("опекун")
    TRUSTEE = "trustee", _("попечитель")
    OTHER = "other", _("иной законный представитель")


class Kinship(TimeStampedModel):
    """Links a guardian to a child. Only these links open a child's data to a guardian."""

    guardian = models.ForeignKey(
        Guardian, on_delete=models.CASCADE, related_name="kinships", verbose_name=_("родитель")
    )
    student = models.ForeignKey(
        Student, on_delete=models.CASCADE, related_name="kinships", verbose_name=_("обучающийся")
    )
    relation = models.CharField(_("кем приходится"), max_length=16, choices=Relation.choices)
    is_legal_representative = models.BooleanField(_("законный представитель"), default=True)

    # «Изменить родственную связь»: the admin's titles (school.admin_site).
    verbose_name_accusative = _("родственную связь")

    class Meta:
        verbose_name = _("родственная связь")
        verbose_name_plural = _("родственные связи")
        constraints = [
            models.UniqueConstraint(fields=["guardian", "student"], name="kinship_unique"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.guardian.short_name} — {self.get_relation_display()} {self.student.short_name}"
        )


class Position(models.TextChoices):
    DIRECTOR = "director", _("директор")
    DEPUTY = "deputy", _("заместитель директора")
    TEACHER = "teacher", _("учитель")
    SECRETARY = "secretary", _("секретарь")


class StaffMember(TimeStampedModel):
    """One position of a person in a school. A deputy who also teaches has two rows.
    Class teachers are not a position: ``SchoolClass.class_teacher`` says who they are."""

    user = models.ForeignKey(
        "school.User",
        on_delete=models.CASCADE,
        related_name="staff_roles",
        verbose_name=_("сотрудник"),
    )
    school = models.ForeignKey(
        "school.School", on_delete=models.CASCADE, related_name="staff", verbose_name=_("школа")
    )
    position = models.CharField(_("должность"), max_length=16, choices=Position.choices)
    subjects = models.ManyToManyField(
        "school.Subject", blank=True, related_name="+", verbose_name=_("предметы")
    )
    is_active = models.BooleanField(_("работает"), default=True)

    class Meta:
        verbose_name = _("должность сотрудника")
        verbose_name_plural = _("сотрудники")
        ordering = ["school", "position", "user__last_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "school", "position"], name="staff_unique_position"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user.short_name}, {self.get_position_display()}"
