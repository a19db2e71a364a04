"""Throttles that keep the service up when their cache (Redis) is not.

A rate limit is protection, not a function users need: when the cache cannot be
reached, requests are let through and the failure is logged, rather than answering
500 to every upload while Redis is down.
"""

import logging

from rest_framework.request import Request
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

logger = logging.getLogger(__name__)


class ResilientScopedRateThrottle(ScopedRateThrottle):
    def allow_request(self, request: Request, view: APIView) -> bool:
        try:
            return super().allow_request(request, view)
        except Exception:  # the cache backend's own errors differ per backend
            logger.warning("Rate limit not checked: the cache is unreachable")
            return True
