"""The request id on every log line, in the web process and in the Celery worker.

django-guid's middleware (first in ``MIDDLEWARE``) keeps the id of the current request
in a context variable and answers it in the ``X-Request-ID`` header. ``RequestIdFilter``
writes it on each log record (``-`` outside a request or task). The Celery signal
handlers below put it in the headers of every task sent while it is set
(``before_task_publish``) and make it current in the worker while that task runs
(``task_prerun``), so the worker's lines for an upload carry the upload's id. A task
with no id (from beat) gets a new one.

These handlers rather than django-guid's own ``CeleryIntegration``: that one gives an
eager task (run in-process, the embedded default without Redis) a new id and clears it
afterwards, which would cut the id from the rest of the request's lines.
"""

import logging
import uuid

from celery.signals import before_task_publish, setup_logging, task_postrun, task_prerun
from django_guid import clear_guid, get_guid, set_guid

HEADER = "X-Request-ID"


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = get_guid() or "-"
        return True


@setup_logging.connect
def use_django_logging(**kwargs) -> None:
    """The worker logs as the web processes do (same format, with the request id),
    instead of Celery's own configuration."""
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)


@before_task_publish.connect
def carry_request_id(headers: dict, **kwargs) -> None:
    request_id = get_guid()
    if request_id:
        headers[HEADER] = request_id


@task_prerun.connect
def adopt_request_id(task, **kwargs) -> None:
    if task.request.is_eager:
        return  # runs inside its caller, whose id is already current
    set_guid(task.request.get(HEADER) or uuid.uuid4().hex)


@task_postrun.connect
def drop_request_id(task, **kwargs) -> None:
    if not task.request.is_eager:
        clear_guid()
