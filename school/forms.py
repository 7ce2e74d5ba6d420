from django import forms
from django.utils.translation import gettext_lazy as _

from .models import SchoolClass


class TransferForm(forms.Form):
    to_class = forms.ModelChoiceField(
        label=_("В класс"),
        queryset=SchoolClass.objects.none(),
        error_messages={
            "required": _("Выберите класс."),
            "invalid_choice": _("Такого класса нет в этом учебном году."),
        },
    )
    on_date = forms.DateField(
        label=_("С даты"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Укажите дату перевода."),
            "invalid": _("Дата записана неверно: нужна дата вида 16.11.2026."),
        },
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
    )

    def __init__(self, *args, classes, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_class"].queryset = classes
        self.fields["to_class"].label_from_instance = lambda c: c.name


class StudentSearchForm(forms.Form):
    q = forms.CharField(label=_("Поиск по фамилии, имени"), required=False, max_length=100)
