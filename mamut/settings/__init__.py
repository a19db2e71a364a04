"""Settings: ``base`` holds everything; ``local`` (default) and ``production`` adapt it.

``local`` is the embedded default: with no environment at all it runs on SQLite with
media under ``var/`` and Celery tasks in-process. Given ``DATABASE_URL`` and
``REDIS_URL`` it uses PostgreSQL and a real Celery worker. ``production`` has no
default for secrets.
"""
