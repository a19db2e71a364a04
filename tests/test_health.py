import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_health_reports_database_and_in_process_tasks_without_a_broker(
    client, settings
):
    settings.REDIS_URL = ""

    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "broker": "in-process",
    }


def test_health_answers_anonymous_callers_without_redirect(client, settings):
    settings.REDIS_URL = ""
    assert client.get("/healthz").status_code == 200


def test_health_is_503_when_the_broker_is_unreachable(client, settings):
    # Port 9 (discard) is closed on loopback here: nothing answers.
    settings.REDIS_URL = "redis://127.0.0.1:9/0"

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json()["broker"] == "unreachable"
    assert response.json()["status"] == "unavailable"


def test_health_is_503_when_the_database_is_unreachable(client, settings, monkeypatch):
    from django.db import OperationalError, connection

    settings.REDIS_URL = ""

    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken_cursor)

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"
