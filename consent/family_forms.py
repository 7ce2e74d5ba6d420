"""Forms of the guardian's own consent pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Contact, Decision, Scope

CHANNEL_CHOICES = [
    (Scope.CABINET, _("Личный кабинет: электронный дневник на сайте")),
    (Scope.EMAIL, _("Письма на электронную почту")),
    (Scope.SMS, _("SMS на телефон")),
]
WITHDRAW_CHOICES = [
    ("all", _("Отозвать согласие полностью")),
    *CHANNEL_CHOICES,
]


class DecisionForm(forms.Form):
    """The first-login screen: give (with the chosen channels) or refuse."""

    decision = forms.ChoiceField(
        choices=[(Decision.GIVEN, _("Даю согласие")), (Decision.REFUSED, _("Не даю согласия"))]
    )
    channels = forms.MultipleChoiceField(
        label=_("Как получать сведения"),
        choices=CHANNEL_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        initial=[Scope.CABINET],
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if data.get("decision") == Decision.GIVEN and not data.get("channels"):
            raise forms.ValidationError(
                _(
                    "Отметьте хотя бы один способ получать сведения (например, личный кабинет) "
                    "или нажмите «Не даю согласия»."
                )
            )
        return data


class GiveChannelsForm(forms.Form):
    channels = forms.MultipleChoiceField(
        label=_("Дать согласие на"),
        choices=CHANNEL_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Отметьте, на что вы даёте согласие.")},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, offered: list[str] | None = None, **kwargs):
        """``offered``: the channels to show (those not open yet); all when validating."""
        super().__init__(*args, **kwargs)
        if offered is not None:
            field = self.fields["channels"]
            field.choices = [c for c in CHANNEL_CHOICES if c[0] in offered]


class WithdrawForm(forms.Form):
    what = forms.ChoiceField(
        label=_("Что отозвать"),
        choices=WITHDRAW_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Выберите, что вы отзываете.")},
    )

    def __init__(self, *args, given: list[str] | None = None, **kwargs):
        """``given``: the channels open now (offered one by one, besides «all»)."""
        super().__init__(*args, **kwargs)
        if given is not None:
            field = self.fields["what"]
            field.choices = [c for c in WITHDRAW_CHOICES if c[0] == "all" or c[0] in given]


class ContactForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Вид"),
        choices=Contact.Kind.choices,
        widget=forms.RadioSelect,
        initial=Contact.Kind.PHONE,
    )
    value = forms.CharField(
        label=_("Телефон или адрес"),
        max_length=254,
        error_messages={"required": _("Впишите номер телефона или адрес электронной почты.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Код из SMS или письма"),
        max_length=12,
        error_messages={"required": _("Впишите код из SMS или письма.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
