"""The client's address, for throttling (django-axes) and the audit trail.

Behind ``MCSC_TRUSTED_PROXY_COUNT`` reverse proxies that each append the address they saw
to ``X-Forwarded-For``, the client is that many entries from the right; entries further
left were sent by the client and are not trusted. Without proxies it is ``REMOTE_ADDR``.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest | None) -> str:
    if request is None:
        return ""
    meta = getattr(request, "META", {})
    remote = meta.get("REMOTE_ADDR", "") or ""
    proxies = settings.MCSC_TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in meta.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) >= proxies:
        return forwarded[-proxies]
    return remote
