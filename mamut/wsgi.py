import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mamut.settings.local")

application = get_wsgi_application()


def _warm_up() -> None:
    """Load now what the first requests of each worker would otherwise load while a
    phone waits (a worker's first upload took 670 ms instead of 40; README,
    Performance): every view module and the reverse URL map, the tasks an upload
    queues with the Celery app's task registry and broker transport, and the
    translation catalogues. Nothing here connects to the database or the broker."""
    import uuid

    from django.conf import settings
    from django.urls import get_resolver, reverse
    from django.utils import translation

    import receipts.tasks  # noqa: F401
    from mamut.celery import app

    get_resolver().url_patterns  # noqa: B018 (imports every view module)
    reverse("api:receipt-detail", args=[uuid.UUID(int=0)])  # builds the reverse map
    app.loader.import_default_modules()
    app.tasks  # noqa: B018 (finalizes the app: the task registry)
    with app.connection_for_write() as connection:
        connection.transport  # noqa: B018 (imports the transport, connects nothing)
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Receipts")


_warm_up()
