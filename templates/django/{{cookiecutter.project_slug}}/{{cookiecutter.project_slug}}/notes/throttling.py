"""API throttles that count in the cache with atomic operations, exact under concurrency.

Django REST framework's own throttles read a request history, append to it and write it back:
concurrent requests (two workers at once) read the same history and all get through. These
count each client's requests in a fixed window that starts with its first request: ``add``
creates the counter with the window's lifetime, ``incr`` raises it atomically (in Redis too).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rest_framework import throttling

if TYPE_CHECKING:  # rest_framework.views imports the throttles from the settings
    from rest_framework.request import Request
    from rest_framework.views import APIView


class AtomicRateThrottle(throttling.SimpleRateThrottle):
    """A ``SimpleRateThrottle`` (same rates, scopes and cache keys) counted with add/incr."""

    window: int | None = None

    def allow_request(self, request: Request, view: APIView) -> bool:
        limit, self.window = self.parse_rate(self.rate)
        if limit is None or self.window is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        for _attempt in range(3):
            self.cache.add(self.key, 0, timeout=self.window)
            try:
                count = self.cache.incr(self.key)
            except ValueError:  # the window ended between add and incr: start a new one
                continue
            return count <= limit
        return False

    def wait(self) -> float | None:
        """At most one window (the counter's remaining lifetime is not kept)."""
        return float(self.window) if self.window else None


class AnonRateThrottle(AtomicRateThrottle, throttling.AnonRateThrottle):
    """Anonymous clients, by address (``NUM_PROXIES`` decides which one)."""


class UserRateThrottle(AtomicRateThrottle, throttling.UserRateThrottle):
    """Signed-in users, by account."""
