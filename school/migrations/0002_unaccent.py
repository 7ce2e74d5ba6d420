from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    """``unaccent`` lets name search treat «ё» as «е» («Пётр» is found by «Петр»)."""

    dependencies = [("school", "0001_initial")]

    operations = [UnaccentExtension()]
