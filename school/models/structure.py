"""The teaching structure: subjects, classes, groups, enrolments, curriculum, assignments."""

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateRangeField, RangeBoundary, RangeOperators
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Func, Q
from django.utils.translation import gettext_lazy as _

from .base import TimeStampedModel
from .dated import DatedQuerySet
from .people import Position, StaffMember

MSG_CLASS_TEACHER_NOT_STAFF = _(
    "%(person)s не работает в школе «%(school)s»: классным руководителем может быть только "
    "её сотрудник."
)
MSG_TEACHER_NOT_STAFF = _("%(person)s не числится учителем школы «%(school)s».")
MSG_ENROLMENT_OVERLAP = _(
    "Обучающийся уже зачислен в другой класс на эти даты: сначала укажите дату выбытия "
    "из прежнего класса."
)
MSG_ENROLMENT_OUTSIDE_YEAR = _("Даты зачисления выходят за границы учебного года %(year)s.")
MSG_ENROLMENT_OTHER_SCHOOL = _("Обучающийся числится в другой школе.")
MSG_GROUP_MEMBER_OVERLAP = _("Обучающийся уже состоит в этой группе на эти даты.")
MSG_GROUP_MEMBER_NOT_IN_CLASS = _("%(student)s не учится в классе %(cls)s.")
MSG_GROUP_OTHER_CLASS = _("Группа относится к другому классу.")
MSG_FIRST_GRADE_GRADED = _("Первый класс учится без отметок: оценивание включить нельзя.")
MSG_END_BEFORE_START = _("Дата окончания раньше даты начала.")


class DateRange(Func):
    function = "DATERANGE"
    output_field = DateRangeField()


def _end_after_start(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(end__isnull=True) | Q(end__gte=F("start")),
        name=name,
        violation_error_message=MSG_END_BEFORE_START,
    )


class EducationLevel(models.TextChoices):
    PRIMARY = "НОО", _("начальное общее образование")
    BASIC = "ООО", _("основное общее образование")
    SECONDARY = "СОО", _("среднее общее образование")


def level_for_grade(grade: int) -> str:
    if grade <= 4:
        return EducationLevel.PRIMARY
    if grade <= 9:
        return EducationLevel.BASIC
    return EducationLevel.SECONDARY


class Subject(TimeStampedModel):
    school = models.ForeignKey(
        "school.School", on_delete=models.CASCADE, related_name="subjects", verbose_name=_("школа")
    )
    name = models.CharField(_("название"), max_length=200)
    short_name = models.CharField(_("сокращение"), max_length=40, blank=True)
    is_graded = models.BooleanField(
        _("оценивается отметками"),
        default=True,
        help_text=_("Снимите для безотметочных предметов (ОРКСЭ, внеурочная деятельность)."),
    )
    order = models.PositiveSmallIntegerField(_("порядок"), default=100)

    class Meta:
        verbose_name = _("предмет")
        verbose_name_plural = _("предметы")
        ordering = ["school", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="subject_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class SchoolClass(TimeStampedModel):
    school = models.ForeignKey(
        "school.School", on_delete=models.CASCADE, related_name="classes", verbose_name=_("школа")
    )
    year = models.ForeignKey(
        "school.AcademicYear",
        on_delete=models.CASCADE,
        related_name="classes",
        verbose_name=_("учебный год"),
    )
    grade = models.PositiveSmallIntegerField(
        _("параллель"), validators=[MinValueValidator(1), MaxValueValidator(11)]
    )
    letter = models.CharField(_("литера"), max_length=4)
    class_teacher = models.ForeignKey(
        "school.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="homeroom_classes",
        verbose_name=_("классный руководитель"),
    )
    is_graded = models.BooleanField(_("оценивается отметками"), default=True)
    shift = models.PositiveSmallIntegerField(
        _("смена"), default=1, choices=[(1, _("первая")), (2, _("вторая"))]
    )

    class Meta:
        verbose_name = _("класс")
        verbose_name_plural = _("классы")
        ordering = ["year", "grade", "letter"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "grade", "letter"],
                name="class_unique_letter",
                violation_error_message=_(
                    "Класс с такой параллелью и литерой в этом учебном году уже есть."
                ),
            ),
            models.CheckConstraint(
                condition=Q(grade__gte=1, grade__lte=11), name="class_grade_1_11"
            ),
            models.CheckConstraint(
                condition=~Q(grade=1) | Q(is_graded=False),
                name="class_first_grade_ungraded",
                violation_error_message=MSG_FIRST_GRADE_GRADED,
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return f"{self.grade}{self.letter}"

    @property
    def level(self) -> str:
        return level_for_grade(self.grade)

    @property
    def week_days(self) -> int:
        return 5 if self.grade == 1 else self.school.week_days

    def clean(self) -> None:
        if self.year_id and self.school_id and self.year.school_id != self.school_id:
            raise ValidationError({"year": _("Учебный год принадлежит другой школе.")})
        if self.class_teacher_id and self.school_id:
            is_staff = StaffMember.objects.filter(
                user_id=self.class_teacher_id, school_id=self.school_id, is_active=True
            ).exists()
            if not is_staff:
                raise ValidationError(
                    {
                        "class_teacher": ValidationError(
                            MSG_CLASS_TEACHER_NOT_STAFF,
                            params={"person": self.class_teacher, "school": self.school},
                        )
                    }
                )


class GroupKind(models.TextChoices):
    SUBGROUP = "subgroup", _("подгруппа")
    INDIVIDUAL = "individual", _("индивидуальный учебный план")


class StudyGroup(TimeStampedModel):
    """Part of a class learning a subject apart: a language subgroup, or one student on an
    individual study plan."""

    school_class = models.ForeignKey(
        SchoolClass, on_delete=models.CASCADE, related_name="groups", verbose_name=_("класс")
    )
    subject = models.ForeignKey(
        Subject, on_delete=models.CASCADE, related_name="groups", verbose_name=_("предмет")
    )
    name = models.CharField(_("название"), max_length=100)
    kind = models.CharField(
        _("вид"), max_length=16, choices=GroupKind.choices, default=GroupKind.SUBGROUP
    )

    # «Изменить группу»: the admin's titles (school.admin_site).
    verbose_name_accusative = _("группу")

    class Meta:
        verbose_name = _("группа")
        verbose_name_plural = _("группы")
        ordering = ["school_class", "subject", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school_class", "subject", "name"], name="group_unique_name"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school_class.name} {self.subject.name}: {self.name}"


class GroupMembership(TimeStampedModel):
    group = models.ForeignKey(
        StudyGroup, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("группа")
    )
    student = models.ForeignKey(
        "school.Student",
        on_delete=models.CASCADE,
        related_name="group_memberships",
        verbose_name=_("обучающийся"),
    )
    start = models.DateField(_("с"))
    end = models.DateField(_("по"), null=True, blank=True)

    objects = DatedQuerySet.as_manager()

    class Meta:
        verbose_name = _("состав группы")
        verbose_name_plural = _("составы групп")
        constraints = [
            _end_after_start("groupmember_dates"),
            ExclusionConstraint(
                name="groupmember_no_overlap",
                expressions=[
                    (
                        DateRange(
                            "start",
                            "end",
                            RangeBoundary(inclusive_lower=True, inclusive_upper=True),
                        ),
                        RangeOperators.OVERLAPS,
                    ),
                    ("group", RangeOperators.EQUAL),
                    ("student", RangeOperators.EQUAL),
                ],
                violation_error_message=MSG_GROUP_MEMBER_OVERLAP,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student.short_name} в {self.group}"

    def clean(self) -> None:
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": MSG_END_BEFORE_START})
        if self.group_id and self.student_id and self.start:
            enrolments = Enrolment.objects.filter(
                student_id=self.student_id, school_class_id=self.group.school_class_id
            ).overlapping(self.start, self.end)
            if not enrolments.exists():
                raise ValidationError(
                    MSG_GROUP_MEMBER_NOT_IN_CLASS,
                    params={
                        "student": self.student.short_name,
                        "cls": self.group.school_class.name,
                    },
                )


class Enrolment(TimeStampedModel):
    """A student's membership of a class between two dates (end inclusive, open if empty).
    A student who changes class mid-year has two rows; marks stay with the old class."""

    student = models.ForeignKey(
        "school.Student",
        on_delete=models.CASCADE,
        related_name="enrolments",
        verbose_name=_("обучающийся"),
    )
    school_class = models.ForeignKey(
        SchoolClass, on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("класс")
    )
    start = models.DateField(_("дата зачисления"))
    end = models.DateField(_("дата выбытия"), null=True, blank=True)

    objects = DatedQuerySet.as_manager()

    class Meta:
        verbose_name = _("зачисление в класс")
        verbose_name_plural = _("зачисления в классы")
        ordering = ["student", "start"]
        indexes = [models.Index(fields=["school_class", "start"])]
        constraints = [
            _end_after_start("enrolment_dates"),
            ExclusionConstraint(
                name="enrolment_no_overlap",
                expressions=[
                    (
                        DateRange(
                            "start",
                            "end",
                            RangeBoundary(inclusive_lower=True, inclusive_upper=True),
                        ),
                        RangeOperators.OVERLAPS,
                    ),
                    ("student", RangeOperators.EQUAL),
                ],
                violation_error_message=MSG_ENROLMENT_OVERLAP,
            ),
        ]

    def __str__(self) -> str:
        end = f"{self.end:%d.%m.%Y}" if self.end else "…"
        return f"{self.student.short_name}: {self.school_class} ({self.start:%d.%m.%Y} – {end})"

    def clean(self) -> None:
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": MSG_END_BEFORE_START})
        if self.school_class_id and self.start:
            year = self.school_class.year
            if not year.contains(self.start) or (self.end and self.end > year.end):
                raise ValidationError(MSG_ENROLMENT_OUTSIDE_YEAR, params={"year": year.name})
        if (
            self.school_class_id
            and self.student_id
            and self.student.school_id != self.school_class.school_id
        ):
            raise ValidationError(MSG_ENROLMENT_OTHER_SCHOOL)


class CurriculumItem(TimeStampedModel):
    """The curriculum (учебный план) of a class for one subject over the year."""

    school_class = models.ForeignKey(
        SchoolClass, on_delete=models.CASCADE, related_name="curriculum", verbose_name=_("класс")
    )
    subject = models.ForeignKey(
        Subject, on_delete=models.PROTECT, related_name="curriculum", verbose_name=_("предмет")
    )
    hours_per_week = models.DecimalField(_("часов в неделю"), max_digits=4, decimal_places=1)
    hours_year = models.PositiveSmallIntegerField(_("часов за год"))
    tests_year = models.PositiveSmallIntegerField(_("контрольных работ за год"), default=0)
    practical_works_year = models.PositiveSmallIntegerField(
        _("практических работ за год"), default=0
    )
    lab_works_year = models.PositiveSmallIntegerField(_("лабораторных работ за год"), default=0)

    # «Изменить строку учебного плана»: the admin's titles (school.admin_site).
    verbose_name_accusative = _("строку учебного плана")

    class Meta:
        verbose_name = _("строка учебного плана")
        verbose_name_plural = _("учебный план")
        ordering = ["school_class", "subject__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["school_class", "subject"], name="curriculum_unique_subject"
            ),
            models.CheckConstraint(
                condition=Q(hours_per_week__gt=0), name="curriculum_hours_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school_class}: {self.subject} ({self.hours_per_week} ч/нед)"


class CurriculumPeriodPlan(models.Model):
    """The planned load of a curriculum item within one period."""

    item = models.ForeignKey(
        CurriculumItem,
        on_delete=models.CASCADE,
        related_name="period_plans",
        verbose_name=_("строка плана"),
    )
    period = models.ForeignKey(
        "school.Period", on_delete=models.CASCADE, related_name="+", verbose_name=_("период")
    )
    hours = models.PositiveSmallIntegerField(_("часов"))
    tests = models.PositiveSmallIntegerField(_("контрольных работ"), default=0)
    practical_works = models.PositiveSmallIntegerField(_("практических работ"), default=0)
    lab_works = models.PositiveSmallIntegerField(_("лабораторных работ"), default=0)

    class Meta:
        verbose_name = _("план на период")
        verbose_name_plural = _("планы на периоды")
        constraints = [
            models.UniqueConstraint(fields=["item", "period"], name="curriculum_period_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.period} — {self.hours} ч"


class TeachingAssignment(TimeStampedModel):
    """Who teaches a subject to a class (or to one of its groups) between two dates."""

    teacher = models.ForeignKey(
        "school.User",
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("учитель"),
    )
    subject = models.ForeignKey(
        Subject, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("предмет")
    )
    school_class = models.ForeignKey(
        SchoolClass, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("класс")
    )
    group = models.ForeignKey(
        StudyGroup,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("группа"),
    )
    start = models.DateField(_("с"))
    end = models.DateField(_("по"), null=True, blank=True)

    objects = DatedQuerySet.as_manager()

    # «Изменить учебную нагрузку»: the admin's titles (school.admin_site).
    verbose_name_accusative = _("учебную нагрузку")

    class Meta:
        verbose_name = _("учебная нагрузка")
        verbose_name_plural = _("учебная нагрузка")
        ordering = ["school_class", "subject__order", "start"]
        indexes = [models.Index(fields=["teacher", "start"])]
        constraints = [_end_after_start("assignment_dates")]

    def __str__(self) -> str:
        target = self.group.name if self.group_id else self.school_class.name
        return f"{self.teacher.short_name}: {self.subject} — {target}"

    def clean(self) -> None:
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": MSG_END_BEFORE_START})
        if (
            self.group_id
            and self.school_class_id
            and (self.group.school_class_id != self.school_class_id)
        ):
            raise ValidationError({"group": MSG_GROUP_OTHER_CLASS})
        if self.teacher_id and self.school_class_id:
            school = self.school_class.school
            teaches = StaffMember.objects.filter(
                user_id=self.teacher_id,
                school=school,
                is_active=True,
                position__in=[Position.TEACHER, Position.DEPUTY, Position.DIRECTOR],
            ).exists()
            if not teaches:
                raise ValidationError(
                    {
                        "teacher": ValidationError(
                            MSG_TEACHER_NOT_STAFF, params={"person": self.teacher, "school": school}
                        )
                    }
                )
