"""The Celery application: JSON only, time limits from settings, autodiscovery."""

import os

from celery import Celery
from celery.signals import worker_init

from mamut import logs  # noqa: F401 (the request id travels with every task)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mamut.settings.local")

app = Celery("mamut")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="mamut.ping", ignore_result=False)
def ping(value: str = "pong") -> str:
    """Answer with ``value``: proves a broker and a worker are wired up."""
    return value


@worker_init.connect
def yield_the_cores_to_requests(**kwargs) -> None:
    """Lower the worker's CPU priority by ``WORKER_NICENESS`` (its pool processes
    inherit it): processing is background work, the upload being answered is not.
    On a machine shared with gunicorn a busy worker otherwise takes the cores the
    uploads are answered on (README, Performance). It still gets every idle cycle."""
    from django.conf import settings

    niceness = getattr(settings, "WORKER_NICENESS", 0)
    if niceness > 0:
        os.nice(niceness)
