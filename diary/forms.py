"""Forms of the family's cabinet: they parse what people type or put in the address; the
rules are in ``diary.services``."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AbsenceKind

DATE_INPUTS = ["%Y-%m-%d", "%d.%m.%Y"]
DATE_ERRORS = {
    "invalid": _("Дата записана неверно: нужна дата вида 30.11.2026."),
    "required": _("Укажите дату."),
}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class AbsenceReportForm(forms.Form):
    start = forms.DateField(
        label=_("Первый день пропуска"),
        widget=DateInput(),
        input_formats=DATE_INPUTS,
        error_messages=DATE_ERRORS,
    )
    end = forms.DateField(
        label=_("Последний день пропуска"),
        required=False,
        widget=DateInput(),
        input_formats=DATE_INPUTS,
        error_messages=DATE_ERRORS,
        help_text=_("Оставьте пустым, если ребёнок пропустит один день."),
    )
    kind = forms.ChoiceField(
        label=_("Причина"),
        choices=AbsenceKind.choices,
        widget=forms.RadioSelect,
        initial=AbsenceKind.ILLNESS,
        error_messages={"required": _("Выберите причину.")},
    )
    note = forms.CharField(
        label=_("Пояснение для классного руководителя"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Например: «температура, будет справка от врача»."),
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("start") and not cleaned.get("end"):
            cleaned["end"] = cleaned["start"]
        return cleaned
