"""The Celery application. Tasks are discovered in every installed app's ``tasks.py``.

Without a broker (``REDIS_URL``/``CELERY_BROKER_URL`` unset) tasks run eagerly in-process,
so a laptop's ``make run`` needs no Redis.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("ediary")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
