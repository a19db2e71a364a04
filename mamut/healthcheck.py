"""``python -m mamut.healthcheck``: the container's health check (docker-compose.yml).

It asks gunicorn on 127.0.0.1:8000 for ``/healthz`` with a ``Host`` header that
``DJANGO_ALLOWED_HOSTS`` allows (the first of them), since Django answers 400 to a
host it does not know, and an operator lists the public name there, not 127.0.0.1.
Exit status 0 when healthy, 1 otherwise. Standard library only: it must not load
Django.
"""

import os
import sys
import urllib.error
import urllib.request

URL = "http://127.0.0.1:8000/healthz"


def allowed_host(allowed_hosts: str) -> str:
    """A host name that ``allowed_hosts`` (comma-separated, as in the variable)
    allows."""
    for entry in allowed_hosts.split(","):
        host = entry.strip().lstrip(".")
        if host and host != "*":
            return host
    return "localhost"


def main() -> int:
    request = urllib.request.Request(  # noqa: S310 (http, or the operator's URL)
        os.environ.get("HEALTHCHECK_URL", URL),
        headers={"Host": allowed_host(os.environ.get("DJANGO_ALLOWED_HOSTS", ""))},
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            return 0 if response.status == 200 else 1
    except (urllib.error.URLError, OSError) as error:
        print(f"unhealthy: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
