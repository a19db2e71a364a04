"""gunicorn's configuration, read from the working directory by every ``gunicorn``
started here: docker-compose's ``web``, the Dockerfile's default command, the services
tests and the load benchmark (``bench/load.py``, its floor too). Command-line flags win.

Threaded workers (``gthread``): a sync worker serves one request at a time and sits
idle while that request waits on PostgreSQL, Redis or the disk, and it closes every
connection after one answer. With threads, a worker answers another upload while one
waits, and keeps the phone's connection open between uploads. The upload API went
from 13 to 31 requests a second with one worker (README, Performance). Each thread
keeps its own database connection (``DATABASE_CONN_MAX_AGE``): workers x threads
connections per machine. ``--workers`` on the command line sets the process count.
"""

import os

worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# Seconds an idle kept-alive connection stays open (a phone sends its pages in a row).
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))

# The access log line ends with the request id (django-guid's X-Request-ID answer
# header), so a request in the access log can be found on every log line it wrote.
access_log_format = (
    '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(L)ss'
    " request_id=%({x-request-id}o)s"
)
