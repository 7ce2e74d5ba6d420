"""The subscriptions form: a checkbox per child × kind × channel that the family may choose,
and how often for the kinds that come in batches. Staff also give the statement's number."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from school.models import Student

from .models import Channel, Frequency, Kind, Status
from .subscriptions import DEFAULTS, frequencies_for

CHANNELS = (Channel.SMS, Channel.EMAIL)
KINDS = list(dict.fromkeys(kind for kind, _ in DEFAULTS))


@dataclass(frozen=True)
class Change:
    student: Student
    kind: str
    channel: str
    enabled: bool
    frequency: str


def _on(student_id: int, kind: str, channel: str) -> str:
    return f"on_{student_id}_{kind}_{channel}"


def _freq(student_id: int, kind: str, channel: str) -> str:
    return f"freq_{student_id}_{kind}_{channel}"


class SubscriptionsForm(forms.Form):
    """Built for the children shown and their current choices (defaults filled in)."""

    def __init__(
        self,
        *args,
        children: list[Student],
        current: dict[tuple[int, str, str], tuple[bool, str]],
        statement: bool = False,
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.children, self.current = children, current
        for child in children:
            for kind, channel in DEFAULTS:
                enabled, frequency = current[(child.pk, kind, channel)]
                self.fields[_on(child.pk, kind, channel)] = forms.BooleanField(
                    required=False,
                    initial=enabled,
                    label=f"{Kind(kind).label}: {Channel(channel).label}",
                )
                allowed = frequencies_for(kind)
                if len(allowed) > 1:
                    self.fields[_freq(child.pk, kind, channel)] = forms.ChoiceField(
                        choices=[(f, Frequency(f).label) for f in allowed],
                        initial=frequency,
                        label=_("Как часто"),
                    )
        if statement:
            self.fields["statement_number"] = forms.CharField(
                label=_("Номер письменного заявления родителя"),
                max_length=50,
                help_text=_(
                    "Без номера заявления подписки не меняются: он попадёт в журнал изменений."
                ),
            )

    def rows(self, child: Student) -> list[dict]:
        """For the template: per kind, the checkbox of each channel (or ``None``: no such
        subscription) and the frequency choice, if any."""
        rows = []
        for kind in KINDS:
            cells = [
                self[_on(child.pk, kind, channel)] if (kind, channel) in DEFAULTS else None
                for channel in CHANNELS
            ]
            frequency = next(
                (
                    self[_freq(child.pk, kind, channel)]
                    for channel in CHANNELS
                    if _freq(child.pk, kind, channel) in self.fields
                ),
                None,
            )
            rows.append({"label": Kind(kind).label, "cells": cells, "frequency": frequency})
        return rows

    def changes(self) -> list[Change]:
        """The choices that differ from the current ones (after ``is_valid()``)."""
        changed = []
        for child in self.children:
            for kind, channel in DEFAULTS:
                enabled = self.cleaned_data[_on(child.pk, kind, channel)]
                old_enabled, old_frequency = self.current[(child.pk, kind, channel)]
                frequency = self.cleaned_data.get(_freq(child.pk, kind, channel), old_frequency)
                if frequency not in frequencies_for(kind):
                    frequency = frequencies_for(kind)[0]
                if (enabled, frequency) != (old_enabled, old_frequency):
                    changed.append(Change(child, kind, channel, enabled, frequency))
        return changed


class DeliveryFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Состояние"),
        required=False,
        choices=[("", _("все")), *Status.choices],
    )
