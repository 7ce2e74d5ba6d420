"""What the notifications app holds about a family, for the personal-data export
(``consent.export``): the subscriptions in force, their history, and every message sent or
stopped. Named in settings ``CONSENT_EXPORT_SECTIONS``."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from consent.export import ExportSection
from school.models import Guardian, Student
from school.phones import format_phone

from .models import Channel, Frequency, Kind, Notification, Subscription, SubscriptionChange
from .subscriptions import DEFAULTS


def _names(students: list[Student]) -> dict[int, str]:
    return {s.pk: s.full_name for s in students}


def subscriptions(guardian: Guardian, students: list[Student]) -> list[dict[str, Any]]:
    """Each choice per child, the guardian's own or the default (one query)."""
    names = _names(students)
    chosen = {
        (s.student_id, s.kind, s.channel): s
        for s in Subscription.objects.filter(guardian=guardian, student_id__in=names)
    }
    rows = []
    for student_id, name in names.items():
        for (kind, channel), (enabled, frequency) in DEFAULTS.items():
            own = chosen.get((student_id, kind, channel))
            rows.append(
                {
                    _("Ребёнок"): name,
                    _("Что"): str(Kind(kind).label),
                    _("Канал"): str(Channel(channel).label),
                    _("Включено"): own.enabled if own else enabled,
                    _("Как часто"): str(Frequency(own.frequency if own else frequency).label),
                    _("Выбрано"): _("родителем или по заявлению") if own else _("по умолчанию"),
                    _("Номер заявления"): own.statement_number if own else "",
                }
            )
    return rows


def subscription_changes(guardian: Guardian, students: list[Student]) -> list[dict[str, Any]]:
    names = _names(students)
    changes = (
        SubscriptionChange.objects.filter(guardian=guardian, student_id__in=names)
        .select_related("actor")
        .order_by("at", "id")
    )
    return [
        {
            _("Когда"): c.at,
            _("Ребёнок"): names[c.student_id],
            _("Что"): c.get_kind_display(),
            _("Канал"): c.get_channel_display(),
            _("Было"): c.old,
            _("Стало"): c.new,
            _("Кто"): c.actor.full_name if c.actor else _("родитель по ссылке из письма"),
            _("Как"): c.get_source_display(),
            _("Номер заявления"): c.statement_number,
        }
        for c in changes
    ]


def _about(notification: Notification, ids: set[int]) -> bool:
    """A row about one child, or a family digest naming the children in its sources: kept
    when it concerns one of ``ids`` (or names no child at all)."""
    if notification.student_id is not None:
        return notification.student_id in ids
    named = {sid for kind, sid in notification.sources or [] if kind == "student"}
    return not named or bool(named & ids)


def deliveries(guardian: Guardian, students: list[Student]) -> list[dict[str, Any]]:
    names = _names(students)
    ids = set(names)
    rows = Notification.objects.filter(guardian=guardian).order_by("created_at", "id")
    return [
        {
            _("Создано"): n.created_at,
            _("Ребёнок"): names.get(n.student_id, ""),
            _("Что"): n.get_kind_display(),
            _("Канал"): n.get_channel_display(),
            _("Адрес"): format_phone(n.to_address),
            _("Тема или текст SMS"): n.text if n.channel == Channel.SMS else n.subject,
            _("Состояние"): n.get_status_display(),
            _("Отправлено"): n.sent_at,
            _("Почему не отправлено"): n.suppressed_reason or n.error,
        }
        for n in rows.only(
            "created_at",
            "student_id",
            "kind",
            "channel",
            "to_address",
            "text",
            "subject",
            "status",
            "sent_at",
            "suppressed_reason",
            "error",
            "sources",
        )
        if _about(n, ids)
    ]


SUBSCRIPTIONS = ExportSection(
    key="notifications.subscriptions",
    title=gettext_lazy("Подписки на уведомления"),
    rows=subscriptions,
    note=gettext_lazy("Где родитель ничего не выбирал, действуют настройки по умолчанию."),
)

SUBSCRIPTION_CHANGES = ExportSection(
    key="notifications.subscription_changes",
    title=gettext_lazy("История изменений подписок"),
    rows=subscription_changes,
)

DELIVERIES = ExportSection(
    key="notifications.deliveries",
    title=gettext_lazy("Отправленные и остановленные уведомления"),
    rows=deliveries,
    note=gettext_lazy("SMS и письма родителю, с адресом, состоянием и причиной остановки."),
)
