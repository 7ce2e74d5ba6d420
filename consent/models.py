"""Consent to personal-data processing (152-ФЗ) and families' contact data.

Consent records are append-only: the state in force is derived from the history
(``consent.rules``), never stored a second time.
"""

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from school.models import AuditRecord, TimeStampedModel
from school.phones import format_phone


class Scope(models.TextChoices):
    PROCESSING = "processing", _("обработка персональных данных для электронного дневника")
    CABINET = "cabinet", _("личный кабинет (веб-интерфейс дневника)")
    EMAIL = "email", _("рассылка по электронной почте")
    SMS = "sms", _("SMS-рассылка")


CHANNEL_SCOPES = (Scope.CABINET, Scope.EMAIL, Scope.SMS)


class Decision(models.TextChoices):
    GIVEN = "given", _("согласие дано")
    REFUSED = "refused", _("отказ")
    WITHDRAWN = "withdrawn", _("согласие отозвано")


class ConsentForm(models.TextChoices):
    PAPER = "paper", _("на бумаге, с подписью")
    ELECTRONIC = "electronic", _("в личном кабинете")


class ConsentText(TimeStampedModel):
    """A version of the consent's wording. Publishing a new version asks guardians again."""

    version = models.PositiveIntegerField(_("версия"), unique=True)
    title = models.CharField(_("заголовок"), max_length=300)
    body = models.TextField(
        _("текст"),
        help_text=_(
            "Подстановки: {guardian}, {guardian_document}, {guardian_address}, {children}, "
            "{children_documents}, {authority_document}, {operator}, {operator_address}, "
            "{operator_ogrn}, {operator_inn}, {box}."
        ),
    )
    published_at = models.DateTimeField(_("опубликован"), null=True, blank=True)

    class Meta:
        verbose_name = _("текст согласия")
        verbose_name_plural = _("тексты согласия")
        ordering = ["-version"]

    def __str__(self) -> str:
        return _("%(title)s (версия %(version)s)") % {"title": self.title, "version": self.version}


class ConsentRecord(models.Model):
    """One act of a guardian: consent given, refused or withdrawn, for some children and
    some scopes, on paper or in the cabinet. Never changed or deleted afterwards."""

    guardian = models.ForeignKey(
        "school.Guardian",
        on_delete=models.PROTECT,
        related_name="consent_records",
        verbose_name=_("родитель"),
    )
    students = models.ManyToManyField(
        "school.Student", related_name="consent_records", verbose_name=_("дети")
    )
    decision = models.CharField(_("решение"), max_length=16, choices=Decision.choices)
    scopes = ArrayField(
        models.CharField(max_length=16, choices=Scope.choices), verbose_name=_("на что")
    )
    form = models.CharField(_("форма"), max_length=16, choices=ConsentForm.choices)
    text = models.ForeignKey(
        ConsentText,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="records",
        verbose_name=_("версия текста"),
    )
    shown_text = models.TextField(_("показанный текст"), blank=True)
    paper_number = models.CharField(_("номер заявления"), max_length=50, blank=True)
    paper_date = models.DateField(_("дата заявления"), null=True, blank=True)
    scan = models.FileField(_("скан заявления"), upload_to="consent/scans/%Y/", blank=True)
    ip = models.GenericIPAddressField(_("IP-адрес"), null=True, blank=True)
    user_agent = models.CharField(_("браузер"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        "school.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("зарегистрировал")
    )
    recorded_at = models.DateTimeField(_("зарегистрировано"), auto_now_add=True)
    note = models.CharField(_("примечание"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("согласие или отказ")
        verbose_name_plural = _("согласия и отказы")
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["guardian", "recorded_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(form="paper") | Q(paper_date__isnull=False),
                name="consent_paper_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(form="electronic") | ~Q(shown_text=""),
                name="consent_electronic_keeps_text",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.guardian.short_name}: {self.get_decision_display()}"

    @property
    def scope_labels(self) -> list[str]:
        return [str(Scope(scope).label) for scope in self.scopes]


class OfflineFamily(TimeStampedModel):
    """A guardian who told the school they have no internet access: paper extracts."""

    guardian = models.OneToOneField(
        "school.Guardian",
        on_delete=models.CASCADE,
        related_name="offline",
        verbose_name=_("родитель"),
    )
    note = models.CharField(_("примечание"), max_length=300, blank=True)
    marked_by = models.ForeignKey(
        "school.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("отметил")
    )

    # «Изменить семью без доступа к интернету»: the admin's titles (school.admin_site).
    verbose_name_accusative = _("семью без доступа к интернету")

    class Meta:
        verbose_name = _("семья без доступа к интернету")
        verbose_name_plural = _("семьи без доступа к интернету")

    def __str__(self) -> str:
        return str(self.guardian)


class ContactSource(models.TextChoices):
    STATEMENT = "statement", _("письменное заявление")
    CABINET = "cabinet", _("введён родителем в личном кабинете")
    STAFF = "staff", _("внесён сотрудником школы")


class Contact(TimeStampedModel):
    """A guardian's phone or e-mail, where it came from and whether it is confirmed.

    A contact taken from a signed statement is confirmed by that statement (its number and
    date, ``created_by`` who entered it); one typed in the cabinet or said to the staff is
    confirmed by a code (``ContactConfirmation``)."""

    class Kind(models.TextChoices):
        PHONE = "phone", _("телефон")
        EMAIL = "email", _("электронная почта")

    guardian = models.ForeignKey(
        "school.Guardian",
        on_delete=models.CASCADE,
        related_name="contacts",
        verbose_name=_("родитель"),
    )
    kind = models.CharField(_("вид"), max_length=8, choices=Kind.choices)
    phone = PhoneNumberField(_("телефон"), region="RU", blank=True)
    email = models.EmailField(_("электронная почта"), blank=True)
    source = models.CharField(_("откуда"), max_length=16, choices=ContactSource.choices)
    statement_number = models.CharField(_("номер заявления"), max_length=50, blank=True)
    statement_date = models.DateField(_("дата заявления"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("подтверждён"), null=True, blank=True)
    is_active = models.BooleanField(_("действует"), default=True)
    created_by = models.ForeignKey(
        "school.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("внёс")
    )

    class Meta:
        verbose_name = _("контакт")
        verbose_name_plural = _("контакты")
        ordering = ["guardian", "kind", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="phone") & ~Q(phone="") & Q(email=""))
                | (Q(kind="email") & ~Q(email="") & Q(phone="")),
                name="contact_value_matches_kind",
            ),
            models.CheckConstraint(
                condition=~Q(source="statement")
                | (
                    ~Q(statement_number="")
                    & Q(statement_date__isnull=False)
                    & Q(confirmed_at__isnull=False)
                ),
                name="contact_statement_confirms",
            ),
            models.UniqueConstraint(
                fields=["guardian", "phone"],
                condition=Q(kind="phone", is_active=True),
                name="contact_unique_active_phone",
            ),
            models.UniqueConstraint(
                fields=["guardian", "email"],
                condition=Q(kind="email", is_active=True),
                name="contact_unique_active_email",
            ),
        ]

    def __str__(self) -> str:
        return str(self.value)

    @property
    def value(self) -> str:
        return self.phone.as_e164 if self.kind == self.Kind.PHONE else self.email

    @property
    def display(self) -> str:
        """The number as people read it («+7 922 299-93-18», ``school.phones``) or the
        address."""
        return format_phone(self.phone) if self.kind == self.Kind.PHONE else self.email

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class ContactConfirmation(models.Model):
    """A code sent by SMS or a link sent by e-mail to prove the contact is the guardian's."""

    contact = models.ForeignKey(
        Contact, on_delete=models.CASCADE, related_name="confirmations", verbose_name=_("контакт")
    )
    code_hash = models.CharField(_("хеш кода"), max_length=128)
    sent_at = models.DateTimeField(_("отправлен"), auto_now_add=True)
    expires_at = models.DateTimeField(_("действует до"))
    attempts = models.PositiveSmallIntegerField(_("попыток"), default=0)
    used_at = models.DateTimeField(_("использован"), null=True, blank=True)

    class Meta:
        verbose_name = _("подтверждение контакта")
        verbose_name_plural = _("подтверждения контактов")

    def __str__(self) -> str:
        return f"{self.contact}: {self.sent_at:%d.%m.%Y %H:%M}"


class FamilyDataKind(models.TextChoices):
    CONSENT = "consent", _("согласие или отказ")
    CONTACT = "contact", _("контакт")
    OFFLINE = "offline", _("отметка «нет доступа к интернету»")
    EXPORT = "export", _("выгрузка данных семьи")


class FamilyDataAction(models.TextChoices):
    CREATE = "create", _("добавлено")
    CONFIRM = "confirm", _("подтверждено")
    DELETE = "delete", _("удалено")


class FamilyDataChange(AuditRecord):
    """A change of a family's consents, contacts or offline mark, or a staff export of the
    family's data. ``object_id`` is the consent record, the contact or the offline mark;
    empty for an export, which concerns the family as a whole."""

    guardian = models.ForeignKey(
        "school.Guardian",
        on_delete=models.CASCADE,
        related_name="data_changes",
        verbose_name=_("родитель"),
    )
    kind = models.CharField(_("что"), max_length=16, choices=FamilyDataKind.choices)
    action = models.CharField(_("действие"), max_length=8, choices=FamilyDataAction.choices)
    object_id = models.BigIntegerField(_("запись"), null=True, blank=True)

    class Meta(AuditRecord.Meta):
        verbose_name = _("изменение данных семьи")
        verbose_name_plural = _("журнал изменений данных семей")
        indexes = [models.Index(fields=["guardian", "at"])]

    @property
    def what(self) -> str:
        """The change in words, as the family card and the export show it."""
        new, old = self.new or {}, self.old or {}
        if self.kind == FamilyDataKind.CONSENT:
            decision = new.get("decision")
            label = Decision(decision).label if decision in Decision.values else decision
            scopes = [str(Scope(s).label) for s in new.get("scopes", []) if s in Scope.values]
            return f"{label}: {', '.join(scopes)}" if scopes else str(label)
        if self.kind == FamilyDataKind.CONTACT:
            code = new.get("kind") or old.get("kind")
            contact = Contact.Kind(code).label if code in Contact.Kind.values else ""
            texts = {
                FamilyDataAction.CREATE: gettext("добавлен контакт: %(kind)s"),
                FamilyDataAction.CONFIRM: gettext("подтверждён контакт: %(kind)s"),
                FamilyDataAction.DELETE: gettext("удалён контакт: %(kind)s"),
            }
            return texts[self.action] % {"kind": contact}
        if self.kind == FamilyDataKind.OFFLINE:
            if self.action == FamilyDataAction.DELETE:
                return gettext("отметка «нет доступа к интернету» снята")
            return gettext("семья отмечена как не имеющая доступа к интернету")
        return gettext("выгрузка данных семьи по запросу")

    def __str__(self) -> str:
        return f"{self.at:%d.%m.%Y %H:%M} {self.actor}: {self.what}"
