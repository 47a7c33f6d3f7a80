"""The Celery app. Settings come from Django's (prefix CELERY_); tasks are found in each app's
tasks.py. With the Django fixup, tasks offer ``delay_on_commit``: always dispatch with it from
code that runs inside a transaction, so a worker never sees a row that is not yet committed."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("werkhaus")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
