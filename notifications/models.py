"""The outbox of messages to families, and what each family chose to receive."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from school.models import AuditRecord, TimeStampedModel


class Channel(models.TextChoices):
    SMS = "sms", _("SMS")
    EMAIL = "email", _("электронная почта")


class Kind(models.TextChoices):
    MARKS = "marks", _("новые отметки")
    DIGEST = "digest", _("сводка дневника")
    MESSAGE = "message", _("сообщение учителя")
    TIMETABLE = "timetable", _("изменения расписания на завтра")
    FINAL_MARKS = "final_marks", _("итоговые и экзаменационные отметки")
    FORECAST = "forecast", _("прогноз итоговой отметки")


class Frequency(models.TextChoices):
    INSTANT = "instant", _("сразу")
    DAILY = "daily", _("ежедневно")
    WEEKLY = "weekly", _("еженедельно")


class Status(models.TextChoices):
    QUEUED = "queued", _("в очереди")
    SENDING = "sending", _("отправляется")
    SENT = "sent", _("отправлено")
    FAILED = "failed", _("не доставлено")
    SUPPRESSED = "suppressed", _("не отправлено")


class Subscription(TimeStampedModel):
    """A guardian's choice for one child: this kind of news by this channel, how often.
    Without a row the defaults of ``notifications.subscriptions.DEFAULTS`` apply."""

    guardian = models.ForeignKey(
        "school.Guardian",
        on_delete=models.CASCADE,
        related_name="subscriptions",
        verbose_name=_("родитель"),
    )
    student = models.ForeignKey(
        "school.Student", on_delete=models.CASCADE, related_name="+", verbose_name=_("ребёнок")
    )
    kind = models.CharField(_("что"), max_length=16, choices=Kind.choices)
    channel = models.CharField(_("канал"), max_length=8, choices=Channel.choices)
    enabled = models.BooleanField(_("включено"), default=True)
    frequency = models.CharField(
        _("как часто"), max_length=8, choices=Frequency.choices, default=Frequency.INSTANT
    )
    set_by = models.ForeignKey(
        "school.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("изменил"),
        help_text=_("Пусто: родитель отписался по ссылке из письма."),
    )
    statement_number = models.CharField(_("номер заявления"), max_length=50, blank=True)

    # «Изменить подписку»: the admin's titles (school.admin_site).
    verbose_name_accusative = _("подписку")

    class Meta:
        verbose_name = _("подписка")
        verbose_name_plural = _("подписки")
        constraints = [
            models.UniqueConstraint(
                fields=["guardian", "student", "kind", "channel"], name="subscription_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.guardian}: {self.get_kind_display()} ({self.get_channel_display()})"


class Notification(TimeStampedModel):
    """One message to one guardian by one channel. Written in the same transaction as the
    journal change that caused it; sent by a Celery task queued on commit; re-queued by the
    sweeper if the broker lost it. ``idempotency_key`` makes every cause produce one row."""

    school = models.ForeignKey(
        "school.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("школа")
    )
    guardian = models.ForeignKey(
        "school.Guardian",
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("получатель"),
    )
    student = models.ForeignKey(
        "school.Student",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ребёнок"),
    )
    channel = models.CharField(_("канал"), max_length=8, choices=Channel.choices)
    kind = models.CharField(_("вид"), max_length=16, choices=Kind.choices)
    idempotency_key = models.CharField(_("ключ"), max_length=200, unique=True)
    sources = models.JSONField(
        _("источники"), default=list, help_text=_("Пары [вид, id] записей журнала.")
    )
    to_address = models.CharField(_("адрес"), max_length=254, blank=True)
    subject = models.CharField(_("тема"), max_length=300, blank=True)
    text = models.TextField(_("текст"), blank=True)
    html = models.TextField(_("HTML"), blank=True)
    status = models.CharField(
        _("состояние"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    due_at = models.DateTimeField(_("отправить не раньше"))
    attempts = models.PositiveSmallIntegerField(_("попыток"), default=0)
    next_attempt_at = models.DateTimeField(_("следующая попытка"), null=True, blank=True)
    sending_since = models.DateTimeField(_("отправляется с"), null=True, blank=True)
    queued_at = models.DateTimeField(
        _("передано в очередь"),
        null=True,
        blank=True,
        help_text=_("Пусто: задача ещё не в очереди брокера, её поставит sweeper."),
    )
    provider_message_id = models.CharField(_("id у оператора"), max_length=100, blank=True)
    parts = models.PositiveSmallIntegerField(_("частей SMS"), default=0)
    cost = models.DecimalField(
        _("стоимость"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    error = models.TextField(_("ошибка"), blank=True)
    suppressed_reason = models.CharField(_("почему не отправлено"), max_length=300, blank=True)
    source_recorded_at = models.DateTimeField(_("запись сделана"), null=True, blank=True)
    sent_at = models.DateTimeField(_("отправлено"), null=True, blank=True)
    told = models.JSONField(
        _("сообщено"),
        default=dict,
        blank=True,
        help_text=_("Значения записей журнала, о которых сказало отправленное сообщение."),
    )

    class Meta:
        verbose_name = _("уведомление")
        verbose_name_plural = _("уведомления")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "due_at"]),
            models.Index(fields=["guardian", "created_at"]),
            models.Index(fields=["school", "created_at"]),
            models.Index(fields=["guardian", "student", "kind", "channel", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="suppressed") | ~Q(suppressed_reason=""),
                name="notification_suppressed_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.to_address or self.guardian_id}"


class ChangeSource(models.TextChoices):
    CABINET = "cabinet", _("родитель в личном кабинете")
    STATEMENT = "statement", _("сотрудник по письменному заявлению")
    LINK = "link", _("ссылка «отписаться» из письма")


class SubscriptionChange(AuditRecord):
    """A change of a subscription (``object_id``): which choice of a guardian for which child,
    how (``source``), from what to what. ``actor`` is empty when the guardian followed the
    unsubscribe link of an e-mail."""

    actor = models.ForeignKey(
        "school.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("кто"),
    )
    guardian = models.ForeignKey(
        "school.Guardian",
        on_delete=models.CASCADE,
        related_name="subscription_changes",
        verbose_name=_("родитель"),
    )
    student = models.ForeignKey(
        "school.Student", on_delete=models.CASCADE, related_name="+", verbose_name=_("ребёнок")
    )
    kind = models.CharField(_("что"), max_length=16, choices=Kind.choices)
    channel = models.CharField(_("канал"), max_length=8, choices=Channel.choices)
    new = models.JSONField(_("стало"))
    source = models.CharField(_("как"), max_length=16, choices=ChangeSource.choices)
    statement_number = models.CharField(_("номер заявления"), max_length=50, blank=True)

    class Meta(AuditRecord.Meta):
        verbose_name = _("изменение подписки")
        verbose_name_plural = _("журнал изменений подписок")
        indexes = [models.Index(fields=["guardian", "at"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(source="statement") | ~Q(statement_number=""),
                name="subscription_change_statement_has_number",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%d.%m.%Y %H:%M} {self.get_kind_display()} ({self.get_channel_display()})"


class NotificationAction(models.TextChoices):
    RESEND = "resend", _("отправлено повторно")


class NotificationChange(AuditRecord):
    """What staff did to an outbox row (``object_id``) by hand: a resend of a failed
    delivery. The row is kept without a foreign key, so the history outlives the outbox."""

    action = models.CharField(_("действие"), max_length=16, choices=NotificationAction.choices)

    class Meta(AuditRecord.Meta):
        verbose_name = _("действие с уведомлением")
        verbose_name_plural = _("действия с уведомлениями")
        indexes = [models.Index(fields=["object_id", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%d.%m.%Y %H:%M} {self.actor}: {self.get_action_display()}"
