"""Forms of the journal's pages: they only parse what people type; the rules are in
``journal.services``, whose Russian messages the views add to these forms."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from journal.models import LessonType, RemarkKind, WorkType
from school.models import Position, SchoolClass, Student, User

DATE_INPUTS = ["%Y-%m-%d", "%d.%m.%Y"]
DATE_ERRORS = {"invalid": _("Дата записана неверно: нужна дата вида 30.11.2026.")}
REQUIRED_REASON = {"required": _("Укажите причину: её увидят родители и администрация.")}


class PageForm(forms.Form):
    """A form sharing its page with others: its own id prefix keeps the ids unique while
    the field names stay plain."""

    id_prefix = "id"

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def date_field(label: str, *, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=DateInput(),
        input_formats=DATE_INPUTS,
        error_messages={**DATE_ERRORS, "required": _("Укажите дату.")},
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented recipe)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def _student_choice(students, *, required: bool, empty_label: str) -> forms.ModelChoiceField:
    field = forms.ModelChoiceField(
        queryset=students,
        required=required,
        empty_label=empty_label,
        error_messages={
            "required": _("Выберите обучающегося."),
            "invalid_choice": _("Этого обучающегося нет в списке класса."),
        },
    )
    field.label_from_instance = lambda s: s.short_name
    return field


# --- The grid ---------------------------------------------------------------------------


class CellForm(forms.Form):
    """One save of one cell: what was typed and the versions the page showed."""

    text = forms.CharField(required=False, max_length=3, strip=True)
    mark_version = forms.IntegerField(min_value=0)
    attendance_version = forms.IntegerField(min_value=0)
    reason = forms.CharField(required=False, max_length=300, strip=True)
    kind = forms.ChoiceField(
        required=False, choices=[("cell", "cell"), ("attendance", "attendance")]
    )
    view = forms.ChoiceField(required=False, choices=[("grid", "grid"), ("lesson", "lesson")])
    summary = forms.BooleanField(required=False)


# --- The lesson page --------------------------------------------------------------------


class LessonForm(PageForm):
    id_prefix = "lesson"

    topic = forms.CharField(
        label=_("Тема урока"),
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    lesson_type = forms.ChoiceField(label=_("Тип урока"), choices=LessonType.choices)
    room = forms.CharField(label=_("Кабинет"), required=False, max_length=20)
    conducted = forms.BooleanField(label=_("Урок проведён"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class MarkColumnForm(PageForm):
    id_prefix = "column"

    work_type = forms.ModelChoiceField(
        label=_("Вид работы"),
        queryset=WorkType.objects.none(),
        empty_label=None,
        error_messages={"required": _("Выберите вид работы.")},
    )
    weight = forms.IntegerField(
        label=_("Вес"),
        required=False,
        min_value=1,
        max_value=10,
        help_text=_("Пусто — вес вида работы."),
        error_messages={
            "min_value": _("Вес — от 1 до 10."),
            "max_value": _("Вес — от 1 до 10."),
        },
    )
    title = forms.CharField(label=_("Подпись колонки"), required=False, max_length=60)

    def __init__(self, *args, school_id: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["work_type"]
        field.queryset = WorkType.objects.filter(school_id=school_id).order_by("order", "name")
        field.label_from_instance = lambda w: f"{w.name} (вес {w.weight})"


class HomeworkForm(PageForm):
    id_prefix = "hw"

    text = forms.CharField(
        label=_("Задание"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        error_messages={"required": _("Напишите текст задания.")},
    )
    due_date = date_field(_("К какому дню"), required=False)
    student = forms.ModelChoiceField(queryset=Student.objects.none(), required=False)
    files = MultipleFileField(label=_("Файлы"), required=False)

    def __init__(self, *args, students, next_lesson_date=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["student"] = _student_choice(
            students, required=False, empty_label=_("всему классу")
        )
        self.fields["student"].label = _("Кому")
        if next_lesson_date:
            self.fields["due_date"].help_text = _("Пусто — к следующему уроку (%(date)s).") % {
                "date": next_lesson_date.strftime("%d.%m.%Y")
            }
        else:
            self.fields["due_date"].help_text = _(
                "Следующего урока в расписании нет: укажите дату."
            )


class HomeworkEditForm(PageForm):
    id_prefix = "hwedit"

    text = forms.CharField(
        label=_("Задание"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        error_messages={"required": _("Напишите текст задания.")},
    )
    due_date = date_field(_("К какому дню"))
    files = MultipleFileField(label=_("Добавить файлы"), required=False)
    remove = forms.ModelMultipleChoiceField(
        label=_("Убрать файлы"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, attachments, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["remove"].queryset = attachments
        self.fields["remove"].label_from_instance = lambda a: a.original_name


class VersionForm(PageForm):
    id_prefix = "ver"

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class RemarkForm(PageForm):
    id_prefix = "remark"

    student = forms.ModelChoiceField(queryset=Student.objects.none())
    kind = forms.ChoiceField(label=_("Вид записи"), choices=RemarkKind.choices)
    text = forms.CharField(
        label=_("Текст"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        error_messages={"required": _("Напишите текст.")},
    )

    def __init__(self, *args, students, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["student"] = _student_choice(
            students, required=True, empty_label=_("— выберите —")
        )
        self.fields["student"].label = _("Обучающийся")
        self.order_fields(["student", "kind", "text"])


class SubstituteForm(PageForm):
    id_prefix = "sub"

    substitute = forms.ModelChoiceField(
        label=_("Кто заменяет"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("— без замены —"),
    )
    reason = forms.CharField(label=_("Причина"), required=False, max_length=300)

    def __init__(self, *args, school_id: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["substitute"]
        field.queryset = (
            User.objects.filter(
                staff_roles__school_id=school_id,
                staff_roles__is_active=True,
                staff_roles__position__in=[Position.TEACHER, Position.DEPUTY, Position.DIRECTOR],
            )
            .distinct()
            .order_by("last_name", "first_name")
        )
        field.label_from_instance = lambda u: u.short_name


class MoveForm(PageForm):
    id_prefix = "move"

    new_date = date_field(_("Новая дата"))
    new_number = forms.IntegerField(
        label=_("Номер урока"),
        min_value=0,
        max_value=10,
        error_messages={
            "required": _("Укажите номер урока."),
            "min_value": _("Номер урока — от 0 до 10."),
            "max_value": _("Номер урока — от 0 до 10."),
        },
    )
    reason = forms.CharField(label=_("Причина"), max_length=300, error_messages=REQUIRED_REASON)


class CancelForm(PageForm):
    id_prefix = "cancel"

    reason = forms.CharField(label=_("Причина"), max_length=300, error_messages=REQUIRED_REASON)


# --- Classes ----------------------------------------------------------------------------


class MessageForm(PageForm):
    id_prefix = "msg"
    WHOLE_CLASS = "class"

    to = forms.ChoiceField(label=_("Кому"))
    subject = forms.CharField(
        label=_("Тема"), max_length=200, error_messages={"required": _("Укажите тему сообщения.")}
    )
    text = forms.CharField(
        label=_("Текст"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        error_messages={"required": _("Напишите текст.")},
    )

    def __init__(self, *args, school_class: SchoolClass, students: list[Student], **kwargs):
        super().__init__(*args, **kwargs)
        self.students = {str(s.pk): s for s in students}
        self.fields["to"].choices = [
            (
                self.WHOLE_CLASS,
                _("Родителям всего класса %(cls)s") % {"cls": school_class.name},
            ),
            *[(str(s.pk), _("Родителям: %(name)s") % {"name": s.short_name}) for s in students],
        ]

    def recipient(self) -> Student | None:
        """The student whose parents are written to; ``None`` for the whole class."""
        return self.students.get(self.cleaned_data["to"])
