"""The Celery wiring, through Redis and a real worker process."""

import pytest
from django.urls import reverse

from mamut.celery import ping

pytestmark = pytest.mark.services


def test_task_is_sent_through_redis_and_run_by_a_worker(celery_worker_process):
    result = ping.delay("hallo")

    assert result.get(timeout=30) == "hallo"


def test_health_reports_postgres_and_redis_reachable(client, transactional_db):
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}
