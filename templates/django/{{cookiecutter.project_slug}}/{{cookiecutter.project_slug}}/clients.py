"""Which client sent a request: the address the limits count by."""

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The connecting address, or behind ``NUM_PROXIES`` proxies the one the outermost appended.

    Each proxy appends the address it was reached from to ``X-Forwarded-For``: counted from the
    right, only the last ``NUM_PROXIES`` entries were written by proxies the site trusts, the rest
    by the client.
    """
    remote = str(request.META.get("REMOTE_ADDR") or "")
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR") or "")
    if settings.NUM_PROXIES <= 0 or not forwarded:
        return remote
    addresses = [address.strip() for address in forwarded.split(",")]
    return addresses[-min(settings.NUM_PROXIES, len(addresses))] or remote
