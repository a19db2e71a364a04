"""A file storage whose disk can be made "full" by a test, in any process.

Only the disk running out cannot be made real here, so it is the one thing faked:
while a flag file ``disk-full`` lies next to ``MEDIA_ROOT``, writing a file stops
half-way with ``OSError(ENOSPC)``, as a full disk does. The flag says which writes
fail: ``all`` of them, or only ``derived`` files (previews, thumbnails, the PDF) and
not the uploaded originals. Each failed write leaves a ``disk-full-hit`` file, so a
test can wait until the worker has met the full disk.
"""

import errno
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage

BACKEND = "tests.full_disk.FullDiskStorage"


def flag_path() -> Path:
    return Path(settings.MEDIA_ROOT).parent / "disk-full"


def hit_path() -> Path:
    return Path(settings.MEDIA_ROOT).parent / "disk-full-hit"


def disk_full(which: str = "all") -> None:
    """Make the disk full for ``which`` writes: ``all`` or ``derived``."""
    assert which in ("all", "derived")
    flag_path().write_text(which)


def disk_freed() -> None:
    flag_path().unlink(missing_ok=True)


class FullDiskStorage(FileSystemStorage):
    def _save(self, name, content):
        flag = flag_path()
        which = flag.read_text() if flag.exists() else ""
        derived = "/original-" not in f"/{name}"
        if which == "all" or (which == "derived" and derived):
            data = content.read()
            # Half the file reaches the disk, then the disk is full.
            super()._save(name, ContentFile(data[: len(data) // 2]))
            hit_path().touch()
            raise OSError(errno.ENOSPC, "No space left on device", name)
        return super()._save(name, content)
