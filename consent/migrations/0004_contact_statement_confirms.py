"""A contact taken from a signed statement is confirmed by it: the statement's date is
kept beside its number, and such a contact is confirmed from the moment it was entered.

Rows entered before this migration: the statement's date is not known, so the day the
contact was entered stands for it, and a missing number is written «б/н» (без номера)."""

from django.db import migrations, models
from django.db.models import F, Q
from django.db.models.functions import TruncDate


def confirm_statement_contacts(apps, schema_editor):
    Contact = apps.get_model("consent", "Contact")
    rows = Contact.objects.filter(source="statement")
    rows.filter(statement_number="").update(statement_number="б/н")
    rows.filter(statement_date__isnull=True).update(statement_date=TruncDate("created_at"))
    rows.filter(confirmed_at__isnull=True).update(confirmed_at=F("created_at"))


class Migration(migrations.Migration):
    dependencies = [("consent", "0003_consent_text_help")]

    operations = [
        migrations.AddField(
            model_name="contact",
            name="statement_date",
            field=models.DateField(blank=True, null=True, verbose_name="дата заявления"),
        ),
        migrations.RunPython(confirm_statement_contacts, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="contact",
            constraint=models.CheckConstraint(
                condition=~Q(source="statement")
                | (
                    ~Q(statement_number="")
                    & Q(statement_date__isnull=False)
                    & Q(confirmed_at__isnull=False)
                ),
                name="contact_statement_confirms",
            ),
        ),
    ]
