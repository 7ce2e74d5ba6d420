"""What teachers write about students: marks, attendance, homework, remarks, messages."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from school.models import TimeStampedModel


class Mark(TimeStampedModel):
    school = models.ForeignKey(
        "school.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("школа")
    )
    lesson = models.ForeignKey(
        "journal.Lesson", on_delete=models.PROTECT, related_name="marks", verbose_name=_("урок")
    )
    column = models.ForeignKey(
        "journal.MarkColumn",
        on_delete=models.PROTECT,
        related_name="marks",
        verbose_name=_("колонка"),
    )
    student = models.ForeignKey(
        "school.Student",
        on_delete=models.PROTECT,
        related_name="marks",
        verbose_name=_("обучающийся"),
    )
    value = models.PositiveSmallIntegerField(_("отметка"))
    comment = models.CharField(_("комментарий"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        "school.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("поставил")
    )
    updated_by = models.ForeignKey(
        "school.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("изменил")
    )
    version = models.PositiveIntegerField(_("версия"), default=1)

    # «Изменить отметку»: the admin's titles (school.admin_site).
    verbose_name_accusative = _("отметку")

    class Meta:
        verbose_name = _("отметка")
        verbose_name_plural = _("отметки")
        indexes = [
            models.Index(fields=["student", "lesson"]),
            models.Index(fields=["school", "created_at"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["column", "student"], name="mark_unique_cell"),
            models.CheckConstraint(condition=Q(value__gte=1, value__lte=5), name="mark_value_1_5"),
        ]

    def __str__(self) -> str:
        return f"{self.student.short_name}: {self.value} ({self.lesson})"


class AttendanceCode(models.TextChoices):
    ABSENT = "н", _("отсутствовал без уважительной причины")
    ILL = "б", _("болел")
    EXCUSED = "у", _("отсутствовал по уважительной причине")
    LATE = "о", _("опоздал")


# Codes meaning the student missed the lesson: no mark can stand beside them.
ABSENCE_CODES = frozenset({AttendanceCode.ABSENT, AttendanceCode.ILL, AttendanceCode.EXCUSED})


class Attendance(TimeStampedModel):
    school = models.ForeignKey(
        "school.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("школа")
    )
    lesson = models.ForeignKey(
        "journal.Lesson",
        on_delete=models.PROTECT,
        related_name="attendance",
        verbose_name=_("урок"),
    )
    student = models.ForeignKey(
        "school.Student",
        on_delete=models.PROTECT,
        related_name="attendance",
        verbose_name=_("обучающийся"),
    )
    code = models.CharField(_("отметка о посещении"), max_length=1, choices=AttendanceCode.choices)
    reason = models.CharField(_("причина"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        "school.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("отметил")
    )
    updated_by = models.ForeignKey(
        "school.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("изменил")
    )
    version = models.PositiveIntegerField(_("версия"), default=1)

    class Meta:
        verbose_name = _("посещаемость")
        verbose_name_plural = _("посещаемость")
        indexes = [models.Index(fields=["student", "lesson"])]
        constraints = [
            models.UniqueConstraint(fields=["lesson", "student"], name="attendance_unique"),
            models.CheckConstraint(
                condition=Q(code__in=["н", "б", "у", "о"]), name="attendance_code_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student.short_name}: {self.code} ({self.lesson})"

    @property
    def is_absence(self) -> bool:
        return self.code in ABSENCE_CODES


class Homework(TimeStampedModel):
    """Homework given at ``lesson`` and due on ``due_date`` (usually the subject's next
    lesson). With ``student`` set it is individual homework for that student only."""

    school = models.ForeignKey(
        "school.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("школа")
    )
    lesson = models.ForeignKey(
        "journal.Lesson",
        on_delete=models.PROTECT,
        related_name="homework",
        verbose_name=_("задано на уроке"),
    )
    due_lesson = models.ForeignKey(
        "journal.Lesson",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="homework_due",
        verbose_name=_("к уроку"),
    )
    due_date = models.DateField(_("срок"))
    text = models.TextField(_("задание"))
    student = models.ForeignKey(
        "school.Student",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="individual_homework",
        verbose_name=_("индивидуально для"),
    )
    created_by = models.ForeignKey(
        "school.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("задал")
    )
    version = models.PositiveIntegerField(_("версия"), default=1)

    class Meta:
        verbose_name = _("домашнее задание")
        verbose_name_plural = _("домашние задания")
        ordering = ["due_date"]
        indexes = [models.Index(fields=["school", "due_date"])]

    def __str__(self) -> str:
        return f"{self.lesson.subject}: {self.text[:40]}"


def homework_upload_to(instance: "HomeworkAttachment", filename: str) -> str:
    return f"homework/{instance.homework.school_id}/{instance.homework_id}/{filename}"


class HomeworkAttachment(TimeStampedModel):
    homework = models.ForeignKey(
        Homework, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("задание")
    )
    file = models.FileField(_("файл"), upload_to=homework_upload_to, max_length=300)
    original_name = models.CharField(_("имя файла"), max_length=255)
    size = models.PositiveIntegerField(_("размер, байт"))
    content_type = models.CharField(_("тип"), max_length=100)

    class Meta:
        verbose_name = _("вложение к заданию")
        verbose_name_plural = _("вложения к заданиям")

    def __str__(self) -> str:
        return self.original_name


class RemarkKind(models.TextChoices):
    RECOMMENDATION = "recommendation", _("рекомендация")
    REMARK = "remark", _("замечание")
    PRAISE = "praise", _("похвала")


class Remark(TimeStampedModel):
    """A teacher's recommendation, remark or praise to one student."""

    school = models.ForeignKey(
        "school.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("школа")
    )
    student = models.ForeignKey(
        "school.Student",
        on_delete=models.PROTECT,
        related_name="remarks",
        verbose_name=_("обучающийся"),
    )
    author = models.ForeignKey(
        "school.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("автор")
    )
    lesson = models.ForeignKey(
        "journal.Lesson",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="remarks",
        verbose_name=_("урок"),
    )
    subject = models.ForeignKey(
        "school.Subject",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("предмет"),
    )
    kind = models.CharField(_("вид"), max_length=16, choices=RemarkKind.choices)
    text = models.TextField(_("текст"))
    date = models.DateField(_("дата"))

    # «Изменить рекомендацию или замечание»: the admin's titles (school.admin_site).
    verbose_name_accusative = _("рекомендацию или замечание")

    class Meta:
        verbose_name = _("рекомендация или замечание")
        verbose_name_plural = _("рекомендации и замечания")
        ordering = ["-date", "-created_at"]
        indexes = [models.Index(fields=["student", "date"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.student.short_name}"


class Message(TimeStampedModel):
    """A teacher's message to the parents of one student or of a whole class."""

    school = models.ForeignKey(
        "school.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("школа")
    )
    sender = models.ForeignKey(
        "school.User",
        on_delete=models.PROTECT,
        related_name="sent_messages",
        verbose_name=_("отправитель"),
    )
    student = models.ForeignKey(
        "school.Student",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="messages",
        verbose_name=_("родителям обучающегося"),
    )
    school_class = models.ForeignKey(
        "school.SchoolClass",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="messages",
        verbose_name=_("родителям класса"),
    )
    subject = models.CharField(_("тема"), max_length=200)
    text = models.TextField(_("текст"))

    class Meta:
        verbose_name = _("сообщение родителям")
        verbose_name_plural = _("сообщения родителям")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(student__isnull=False) & Q(school_class__isnull=True))
                | (Q(student__isnull=True) & Q(school_class__isnull=False)),
                name="message_one_addressee",
            ),
        ]

    def __str__(self) -> str:
        return self.subject


class MessageRead(models.Model):
    """When a family member read a message: the sender sees who has read it."""

    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, related_name="reads", verbose_name=_("сообщение")
    )
    user = models.ForeignKey(
        "school.User", on_delete=models.CASCADE, related_name="+", verbose_name=_("прочитал")
    )
    read_at = models.DateTimeField(_("прочитано"), auto_now_add=True)

    class Meta:
        verbose_name = _("прочтение сообщения")
        verbose_name_plural = _("прочтения сообщений")
        constraints = [
            models.UniqueConstraint(fields=["message", "user"], name="message_read_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} прочитал «{self.message}»"
