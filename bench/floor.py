"""The load benchmark's floor: a WSGI app that only writes the request body to disk.

Served by gunicorn with the same worker count and configuration as the project, and hit
with the same uploads, it is the least any upload endpoint on this machine can cost:
the HTTP server, reading the body and one file write. No Django, no database, no queue.
Files land in ``BENCH_FLOOR_DIR``.
"""

import os
import tempfile

CHUNK = 64 * 1024


def application(environ, start_response):
    if environ["REQUEST_METHOD"] == "POST":
        remaining = int(environ.get("CONTENT_LENGTH") or 0)
        stream = environ["wsgi.input"]
        with tempfile.NamedTemporaryFile(
            dir=os.environ["BENCH_FLOOR_DIR"], delete=False
        ) as file:
            while remaining > 0:
                chunk = stream.read(min(CHUNK, remaining))
                if not chunk:
                    break
                file.write(chunk)
                remaining -= len(chunk)
        start_response("201 Created", [("Content-Type", "application/json")])
        return [b'{"status": "received"}']
    start_response("200 OK", [("Content-Type", "application/json")])
    return [b'{"status": "ok"}']
