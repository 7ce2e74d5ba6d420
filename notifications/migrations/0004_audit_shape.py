"""SubscriptionChange and NotificationChange take the audit shape
(school.models.AuditRecord): ``by`` is renamed ``actor``; both gain ``reason`` and
``object_id``: the subscription a change is about (found by guardian, child, kind and
channel, as the service writes both together) and the outbox row that was resent (its
former foreign key, kept as a plain id so the history outlives the outbox)."""

from django.db import migrations, models


def forwards(apps, schema_editor):
    Subscription = apps.get_model("notifications", "Subscription")
    SubscriptionChange = apps.get_model("notifications", "SubscriptionChange")
    NotificationChange = apps.get_model("notifications", "NotificationChange")
    ids = {
        (s.guardian_id, s.student_id, s.kind, s.channel): s.pk
        for s in Subscription.objects.only("guardian_id", "student_id", "kind", "channel")
    }
    changes = list(SubscriptionChange.objects.all())
    for change in changes:
        key = (change.guardian_id, change.student_id, change.kind, change.channel)
        if key not in ids:  # not written by the service: give it the row it describes
            ids[key] = Subscription.objects.create(
                guardian_id=change.guardian_id,
                student_id=change.student_id,
                kind=change.kind,
                channel=change.channel,
                enabled=(change.new or {}).get("enabled", True),
                frequency=(change.new or {}).get("frequency", "instant"),
            ).pk
        change.object_id = ids[key]
    SubscriptionChange.objects.bulk_update(changes, ["object_id"], batch_size=2000)
    NotificationChange.objects.update(object_id=models.F("notification_id"))


def backwards(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    NotificationChange = apps.get_model("notifications", "NotificationChange")
    NotificationChange.objects.exclude(
        object_id__in=Notification.objects.values("pk")
    ).delete()
    NotificationChange.objects.update(notification_id=models.F("object_id"))


class Migration(migrations.Migration):
    dependencies = [("notifications", "0003_notification_told_and_changes")]

    operations = [
        migrations.RenameField(model_name="subscriptionchange", old_name="by", new_name="actor"),
        migrations.AddField(
            model_name="subscriptionchange",
            name="object_id",
            field=models.BigIntegerField(null=True, verbose_name="запись"),
        ),
        migrations.AddField(
            model_name="subscriptionchange",
            name="reason",
            field=models.CharField(blank=True, default="", max_length=300, verbose_name="причина"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="notificationchange",
            name="object_id",
            field=models.BigIntegerField(null=True, verbose_name="запись"),
        ),
        migrations.AddField(
            model_name="notificationchange",
            name="reason",
            field=models.CharField(blank=True, default="", max_length=300, verbose_name="причина"),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="notificationchange",
            name="notification",
            field=models.ForeignKey(
                null=True,
                on_delete=models.deletion.CASCADE,
                related_name="changes",
                to="notifications.notification",
                verbose_name="уведомление",
            ),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.AlterField(
            model_name="subscriptionchange",
            name="object_id",
            field=models.BigIntegerField(verbose_name="запись"),
        ),
        migrations.AlterField(
            model_name="notificationchange",
            name="object_id",
            field=models.BigIntegerField(verbose_name="запись"),
        ),
        migrations.RemoveIndex(
            model_name="notificationchange", name="notificatio_notific_20664f_idx"
        ),
        migrations.RemoveField(model_name="notificationchange", name="notification"),
        migrations.AddIndex(
            model_name="notificationchange",
            index=models.Index(fields=["object_id", "at"], name="notificatio_object__203431_idx"),
        ),
    ]
