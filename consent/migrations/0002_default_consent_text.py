"""Version 1 of the consent's wording, published at once (see ``consent/texts.py``).

A later wording is a new version published through the admin, not an edit of this one."""

from django.db import migrations
from django.utils import timezone


def create_version_1(apps, schema_editor):
    from consent.texts import DEFAULT_TITLE, configured_body

    ConsentText = apps.get_model("consent", "ConsentText")
    if ConsentText.objects.filter(version=1).exists():
        return
    ConsentText.objects.create(
        version=1, title=DEFAULT_TITLE, body=configured_body(), published_at=timezone.now()
    )


class Migration(migrations.Migration):
    dependencies = [("consent", "0001_initial")]

    operations = [migrations.RunPython(create_version_1, migrations.RunPython.noop)]
