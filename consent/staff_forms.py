"""Forms of the staff's consent pages. They parse what the secretary types; the rules (what
a decision changes, valid phones and e-mails) are in ``consent.services``, whose Russian
messages the views add to these forms."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from school import uploads
from school.models import Student

from .models import ConsentText, Contact, ContactSource, Decision, Scope

MAX_SCAN_BYTES = 10 * 1024 * 1024
SCAN_EXTENSIONS = {".pdf", ".jpg", ".jpeg", ".png"}
MSG_SCAN_TYPE = _("Скан должен быть файлом PDF, JPEG или PNG, а «%(name)s» — нет.")
MSG_SCAN_SIZE = _(
    "Файл «%(name)s» больше 10 МБ. Отсканируйте заявление с меньшим разрешением "
    "(200–300 точек на дюйм) или в оттенках серого."
)
DATE_INPUTS = ["%Y-%m-%d", "%d.%m.%Y"]

SCOPE_LABELS = {
    Scope.PROCESSING: _("Обработка персональных данных (без неё ничего не работает)"),
    Scope.CABINET: _("Личный кабинет: дневник на сайте"),
    Scope.EMAIL: _("Письма на электронную почту"),
    Scope.SMS: _("SMS-сообщения"),
}
DECISION_LABELS = {
    Decision.GIVEN: _("Согласие"),
    Decision.REFUSED: _("Отказ"),
    Decision.WITHDRAWN: _("Отзыв согласия"),
}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class RegisterForm(forms.Form):
    """A paper consent, refusal or withdrawal brought to the school."""

    decision = forms.ChoiceField(
        label=_("Что принёс родитель"),
        choices=list(DECISION_LABELS.items()),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Выберите, что принёс родитель: согласие, отказ или отзыв согласия.")
        },
    )
    students = forms.ModelMultipleChoiceField(
        label=_("О каких детях"),
        queryset=Student.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Выберите хотя бы одного ребёнка."),
            "invalid_choice": _("Этого ребёнка нет в списке."),
            "invalid_pk_value": _("Этого ребёнка нет в списке."),
        },
    )
    scopes = forms.MultipleChoiceField(
        label=_("На что"),
        choices=list(SCOPE_LABELS.items()),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Согласие на кабинет, почту или SMS включает согласие на обработку. "
            "Отказ от обработки или её отзыв закрывает всё: кабинет, почту и SMS."
        ),
        error_messages={"required": _("Отметьте, на что дано согласие или отказ.")},
    )
    paper_number = forms.CharField(
        label=_("Номер заявления"),
        max_length=50,
        help_text=_("Входящий номер, под которым заявление лежит в папке."),
        error_messages={"required": _("Укажите номер заявления: по нему его найдут в папке.")},
    )
    paper_date = forms.DateField(
        label=_("Дата заявления"),
        widget=DateInput(),
        input_formats=DATE_INPUTS,
        error_messages={
            "required": _("Укажите дату заявления."),
            "invalid": _("Дата записана неверно: нужна дата вида 30.11.2026."),
        },
    )
    text = forms.ModelChoiceField(
        label=_("Версия текста согласия"),
        queryset=ConsentText.objects.none(),
        required=False,
        empty_label=_("не указана"),
        help_text=_("По какому бланку написано согласие (обычно — последняя версия)."),
    )
    scan = forms.FileField(
        label=_("Скан заявления (необязательно)"),
        required=False,
        help_text=_("PDF, JPEG или PNG, не больше 10 МБ."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
    note = forms.CharField(label=_("Примечание"), max_length=300, required=False)

    def __init__(self, *args, children: list[Student], texts, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["students"].queryset = Student.objects.filter(pk__in=[c.pk for c in children])
        self.fields["students"].label_from_instance = lambda s: s.full_name
        self.fields["text"].queryset = texts
        self.fields["text"].label_from_instance = lambda t: (
            _("%(title)s (версия %(version)s)")
            % {
                "title": t.title,
                "version": t.version,
            }
        )

    def clean_scan(self) -> UploadedFile | None:
        scan = self.cleaned_data.get("scan")
        if not scan:
            return None
        name = Path(scan.name).name
        if uploads.extension(name) not in SCAN_EXTENSIONS or not uploads.matches_content(scan):
            raise ValidationError(MSG_SCAN_TYPE, code="scan_type", params={"name": name})
        if scan.size > MAX_SCAN_BYTES:
            raise ValidationError(MSG_SCAN_SIZE, code="scan_size", params={"name": name})
        return scan


class StaffContactForm(forms.Form):
    """A phone or an e-mail the staff enter from a statement or from what a parent said."""

    kind = forms.ChoiceField(
        label=_("Что добавить"),
        choices=Contact.Kind.choices,
        widget=forms.RadioSelect,
        initial=Contact.Kind.PHONE,
        error_messages={"required": _("Выберите: телефон или электронная почта.")},
    )
    value = forms.CharField(
        label=_("Номер или адрес"),
        max_length=254,
        help_text=_("Телефон как +7 912 345-67-89 или 8 912 345-67-89; почта как ivanova@mail.ru."),
        error_messages={"required": _("Впишите номер телефона или адрес электронной почты.")},
    )
    source = forms.ChoiceField(
        label=_("Откуда контакт"),
        choices=[
            (ContactSource.STATEMENT, _("из письменного заявления")),
            (ContactSource.STAFF, _("со слов родителя (вношу сам)")),
        ],
        widget=forms.RadioSelect,
        initial=ContactSource.STATEMENT,
        error_messages={"required": _("Укажите, откуда контакт.")},
    )
    statement_number = forms.CharField(label=_("Номер заявления"), max_length=50, required=False)
    statement_date = forms.DateField(
        label=_("Дата заявления"),
        required=False,
        widget=DateInput(),
        input_formats=DATE_INPUTS,
        error_messages={"invalid": _("Дата записана неверно: нужна дата вида 30.11.2026.")},
    )

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("auto_id", "contact_%s")
        super().__init__(*args, **kwargs)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("source") == ContactSource.STATEMENT and not data.get("statement_number"):
            self.add_error(
                "statement_number",
                _("Укажите номер заявления, из которого взят контакт."),
            )
        if (
            data.get("source") == ContactSource.STATEMENT
            and not data.get("statement_date")
            and "statement_date" not in self.errors
        ):
            self.add_error("statement_date", _("Укажите дату заявления, из которого взят контакт."))
        return data


class OfflineForm(forms.Form):
    """Mark a family «no internet access» (paper extracts) or take the mark off."""

    action = forms.ChoiceField(
        choices=[("mark", "mark"), ("unmark", "unmark")],
        widget=forms.HiddenInput,
        error_messages={"required": _("Не понятно, поставить отметку или снять: нажмите кнопку.")},
    )
    note = forms.CharField(
        label=_("Примечание"),
        max_length=300,
        required=False,
        help_text=_("Например: «нет смартфона, выписки забирает бабушка»."),
    )

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("auto_id", "offline_%s")
        super().__init__(*args, **kwargs)
