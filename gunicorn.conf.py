"""gunicorn's settings, read from the working directory by every gunicorn start
(docker-compose.yml, the Dockerfile, the tests' gunicorn). Command-line flags win."""

# The access log line ends with the request id (django-guid's X-Request-ID answer
# header), so a request in the access log can be found on every log line it wrote.
access_log_format = (
    '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(L)ss'
    " request_id=%({x-request-id}o)s"
)
