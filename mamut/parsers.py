"""The API's JSON parser: a hostile body is a 4xx with a code, never a 500."""

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser that also refuses a body too large to hold in memory
    (413 ``too_large``) and one nested too deep to decode (400 ``parse_error``)."""

    def parse(self, stream, media_type=None, parser_context=None):
        request = (parser_context or {}).get("request")
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if request is not None and limit is not None:
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > limit:
                # Imported here: mamut.errors imports DRF, whose settings import this.
                from mamut.errors import ApplicationError

                raise ApplicationError(
                    _("The request is larger than allowed."),
                    code="too_large",
                    status_code=413,
                )
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError() from None
