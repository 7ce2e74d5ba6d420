"""FamilyDataChange takes the audit shape (school.models.AuditRecord): the free-text
``what`` becomes ``kind`` and ``action`` codes, with the row it is about in ``object_id``
and a ``reason``. The words are built from the codes when shown (``FamilyDataChange.what``).
Every text the services ever wrote is parsed back into codes; the contact's kind (phone or
e-mail), which only the text held, moves into ``new``/``old``. A text no rule knows is kept
in ``reason`` so nothing is lost."""

from django.db import migrations, models

EXPORT = "выгрузка данных семьи по запросу"
OFFLINE_ON = "семья отмечена как не имеющая доступа к интернету"
OFFLINE_OFF = "отметка «нет доступа к интернету» снята"
CONTACT_ACTIONS = {
    "добавлен контакт: ": "create",
    "подтверждён контакт: ": "confirm",
    "удалён контакт: ": "delete",
}
CONTACT_KINDS = {"телефон": "phone", "электронная почта": "email"}
DECISIONS = {"given": "согласие дано", "refused": "отказ", "withdrawn": "согласие отозвано"}
SCOPES = {
    "processing": "обработка персональных данных для электронного дневника",
    "cabinet": "личный кабинет (веб-интерфейс дневника)",
    "email": "рассылка по электронной почте",
    "sms": "SMS-рассылка",
}


def _codes(change, Contact, OfflineFamily) -> None:
    what, new, old = change.what, change.new, change.old
    change.action = "create"
    if what == EXPORT:
        change.kind, change.object_id = "export", None
    elif what in (OFFLINE_ON, OFFLINE_OFF):
        change.kind = "offline"
        change.action = "create" if what == OFFLINE_ON else "delete"
        offline = OfflineFamily.objects.filter(guardian_id=change.guardian_id).first()
        change.object_id = offline.pk if offline and what == OFFLINE_ON else None
    elif any(what.startswith(prefix) for prefix in CONTACT_ACTIONS):
        prefix = next(p for p in CONTACT_ACTIONS if what.startswith(p))
        change.kind, change.action = "contact", CONTACT_ACTIONS[prefix]
        contact_kind = CONTACT_KINDS.get(what[len(prefix) :])
        values = new if isinstance(new, dict) and "value" in new else old
        if isinstance(values, dict):
            if contact_kind:
                values["kind"] = contact_kind
            value = values.get("value") or ""
            same = models.Q(phone=value) if contact_kind == "phone" else models.Q(email=value)
            contact = (
                Contact.objects.filter(same, guardian_id=change.guardian_id)
                .order_by("-id")
                .first()
            )
            change.object_id = contact.pk if contact else None
    elif isinstance(new, dict) and "decision" in new:
        change.kind, change.object_id = "consent", new.get("record")
    else:
        change.kind, change.object_id, change.reason = "consent", None, what[:300]


def forwards(apps, schema_editor):
    FamilyDataChange = apps.get_model("consent", "FamilyDataChange")
    Contact = apps.get_model("consent", "Contact")
    OfflineFamily = apps.get_model("consent", "OfflineFamily")
    batch = []
    for change in FamilyDataChange.objects.order_by("pk").iterator(chunk_size=2000):
        _codes(change, Contact, OfflineFamily)
        batch.append(change)
        if len(batch) >= 2000:
            fields = ["kind", "action", "object_id", "reason", "new", "old"]
            FamilyDataChange.objects.bulk_update(batch, fields)
            batch = []
    FamilyDataChange.objects.bulk_update(batch, ["kind", "action", "object_id", "reason", "new", "old"])


def _words(change) -> str:
    new, old = change.new or {}, change.old or {}
    if change.reason and change.object_id is None and change.kind == "consent":
        return change.reason
    if change.kind == "export":
        return EXPORT
    if change.kind == "offline":
        return OFFLINE_OFF if change.action == "delete" else OFFLINE_ON
    if change.kind == "contact":
        code = new.get("kind") or old.get("kind")
        label = {v: k for k, v in CONTACT_KINDS.items()}.get(code, "")
        prefix = {v: k for k, v in CONTACT_ACTIONS.items()}[change.action]
        return f"{prefix}{label}"
    scopes = ", ".join(SCOPES.get(s, s) for s in new.get("scopes", []))
    decision = DECISIONS.get(new.get("decision"), new.get("decision", ""))
    return f"{decision}: {scopes}" if scopes else decision


def backwards(apps, schema_editor):
    FamilyDataChange = apps.get_model("consent", "FamilyDataChange")
    batch = []
    for change in FamilyDataChange.objects.order_by("pk").iterator(chunk_size=2000):
        change.what = _words(change)[:300]
        batch.append(change)
    FamilyDataChange.objects.bulk_update(batch, ["what"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [("consent", "0004_contact_statement_confirms")]

    operations = [
        migrations.AddField(
            model_name="familydatachange",
            name="kind",
            field=models.CharField(
                choices=[
                    ("consent", "согласие или отказ"),
                    ("contact", "контакт"),
                    ("offline", "отметка «нет доступа к интернету»"),
                    ("export", "выгрузка данных семьи"),
                ],
                default="consent",
                max_length=16,
                verbose_name="что",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="familydatachange",
            name="action",
            field=models.CharField(
                choices=[
                    ("create", "добавлено"),
                    ("confirm", "подтверждено"),
                    ("delete", "удалено"),
                ],
                default="create",
                max_length=8,
                verbose_name="действие",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="familydatachange",
            name="object_id",
            field=models.BigIntegerField(blank=True, null=True, verbose_name="запись"),
        ),
        migrations.AddField(
            model_name="familydatachange",
            name="reason",
            field=models.CharField(blank=True, default="", max_length=300, verbose_name="причина"),
            preserve_default=False,
        ),
        migrations.RunPython(forwards, backwards),
        # A default, so that undoing the removal can add the column back to filled rows.
        migrations.AlterField(
            model_name="familydatachange",
            name="what",
            field=models.CharField(default="", max_length=300, verbose_name="что"),
        ),
        migrations.RemoveField(model_name="familydatachange", name="what"),
    ]
