"""The Celery wiring, through Redis and a real worker process."""

import os
from pathlib import Path

import pytest
from django.urls import reverse

from mamut.celery import ping

pytestmark = pytest.mark.services


def test_task_is_sent_through_redis_and_run_by_a_worker(celery_worker_process):
    result = ping.delay("hallo")

    assert result.get(timeout=30) == "hallo"


def test_the_worker_runs_at_a_lower_cpu_priority_than_the_web(
    celery_worker_process, settings
):
    """Processing yields the cores to uploads being answered (README, Performance)."""
    stat = Path(f"/proc/{celery_worker_process.pid}/stat").read_text()
    niceness = int(stat.rsplit(")", 1)[1].split()[16])

    assert niceness == min(19, os.nice(0) + settings.WORKER_NICENESS)


def test_health_reports_postgres_and_redis_reachable(client, transactional_db):
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}
