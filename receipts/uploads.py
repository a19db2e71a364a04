"""Size limits decided while the upload streams in, never with the body in memory."""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict


class UploadLimitHandler(FileUploadHandler):
    """Counts the bytes of each file part and of all parts, and stops past a limit.

    Placed before Django's own handlers, it sees every chunk first. When a limit is
    passed it marks the request and stops the upload; the view then answers 413
    ``too_large``. Files are spooled to disk by the handlers after it, never held whole
    in memory.
    """

    def __init__(self, request=None) -> None:
        super().__init__(request)
        self.file_bytes = 0
        self.total_bytes = 0

    def handle_raw_input(
        self, input_data, META, content_length, boundary, encoding=None
    ):
        if content_length and content_length > settings.RECEIPTS_MAX_REQUEST_BYTES:
            # Known too large from the header: parse nothing at all.
            self.request.upload_too_large = True
            return QueryDict(), MultiValueDict()
        return None

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.file_bytes = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.file_bytes += len(raw_data)
        self.total_bytes += len(raw_data)
        if (
            self.file_bytes > settings.RECEIPTS_MAX_FILE_BYTES
            or self.total_bytes > settings.RECEIPTS_MAX_REQUEST_BYTES
        ):
            self._too_large()
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None

    def _too_large(self) -> None:
        self.request.upload_too_large = True
        raise StopUpload(connection_reset=False)
