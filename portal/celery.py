"""The Celery app. Without a broker (the embedded run) tasks run inline."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Every app's tasks.py, and the document machinery's (portal/documents/tasks.py).
app.autodiscover_tasks()
app.autodiscover_tasks(["portal.documents"])
