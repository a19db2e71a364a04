"""Settings of a web or worker process of a test whose disk can fill up."""

from mamut.settings.local import *  # noqa: F403
from tests.full_disk import BACKEND

STORAGES = {**STORAGES, "default": {"BACKEND": BACKEND}}  # noqa: F405
