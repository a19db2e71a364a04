"""The Celery application: JSON only, time limits from settings, autodiscovery."""

import os

from celery import Celery

from mamut import logs  # noqa: F401 (the request id travels with every task)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mamut.settings.local")

app = Celery("mamut")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="mamut.ping", ignore_result=False)
def ping(value: str = "pong") -> str:
    """Answer with ``value``: proves a broker and a worker are wired up."""
    return value
