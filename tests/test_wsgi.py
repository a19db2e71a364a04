"""The WSGI module loads what a worker's first requests would otherwise load."""

import json

from tests.test_settings import run_python

PROBE = """
import json, sys
import mamut.wsgi
from django.urls import get_resolver
from mamut.celery import app
print(json.dumps({
    "tasks_module": "receipts.tasks" in sys.modules,
    "process_task": "receipts.process_document" in app.tasks,
    "reverse_map": bool(get_resolver()._populated),
    "broker_transport": "kombu.transport.redis" in sys.modules,
}))
"""


def test_a_web_worker_starts_with_views_tasks_and_transport_loaded():
    """The first upload of each worker took 670 ms instead of 40 while these loaded
    (README, Performance); PostgreSQL and Redis are down here: loading connects to
    neither."""
    result = run_python(
        PROBE,
        "mamut.settings.local",
        DATABASE_URL="postgres://mamut:x@127.0.0.1:1/mamut",
        REDIS_URL="redis://127.0.0.1:1/0",
    )

    assert json.loads(result.stdout.splitlines()[-1]) == {
        "tasks_module": True,
        "process_task": True,
        "reverse_map": True,
        "broker_transport": True,
    }
