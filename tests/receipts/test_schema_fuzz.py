"""Schemathesis over the OpenAPI schema: no 5xx, no answer that breaks the schema.

The schemathesis command line runs against a live server with a phone token,
bounded (a few examples per operation, a fixed seed) so it takes well under two
minutes.
"""

import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache
from knox.models import AuthToken

from mamut.throttling import ResilientScopedRateThrottle
from tests.receipts.factories import mobile_user

pytestmark = pytest.mark.django_db(transaction=True)

CHECKS = "not_a_server_error,response_schema_conformance,status_code_conformance"


def test_api_never_errors_and_keeps_to_its_schema(
    live_server, active_scanner, monkeypatch
):
    monkeypatch.setattr(
        ResilientScopedRateThrottle, "THROTTLE_RATES", {"uploads": "10000/minute"}
    )
    cache.clear()
    _, token = AuthToken.objects.create(mobile_user())
    schemathesis = Path(sys.executable).parent / "schemathesis"

    result = subprocess.run(
        [
            str(schemathesis),
            "run",
            f"{live_server.url}/api/v1/schema/?format=json",
            "--url",
            f"{live_server.url}",
            "--checks",
            CHECKS,
            "--max-examples",
            "15",
            "--seed",
            "20261203",
            "--request-timeout",
            "30",
            "-H",
            f"Authorization: Bearer {token}",
            "-H",
            "Accept-Language: en",
            # Signing out would revoke the token the rest of the run uses; the
            # sign-out contract has its own tests.
            "--exclude-operation-id",
            "auth_token_destroy",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
