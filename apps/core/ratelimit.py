"""Rate limits held in the database: every worker and every restart share one count.

A fixed window per key: ``record`` adds one atomically (``INSERT ... ON CONFLICT DO UPDATE``,
so concurrent requests cannot both slip under the limit) and returns the count so far; ``count``
reads it. Keys name the action and the client, whose address comes from ``client_ip``.

Behind a reverse proxy every request comes from the proxy's address, so ``client_ip`` reads
``X-Forwarded-For`` when ``settings.TRUSTED_PROXIES`` (``QT_TRUSTED_PROXIES``) says how many
proxies stand in front: the address the outermost trusted proxy saw is that many entries from
the right (entries further left are whatever the client claimed). With 0 (the default, for a
server facing the internet) the header is ignored and ``REMOTE_ADDR`` is used.
"""

from __future__ import annotations

import functools
import ipaddress
import time

from django.conf import settings
from django.db import connection

from apps.core.models import RateLimitCounter

_UPSERT = """
INSERT INTO core_ratelimitcounter AS c (key, window_start, count) VALUES (%s, %s, 1)
ON CONFLICT (key, window_start) DO UPDATE SET count = c.count + 1
RETURNING count
"""


def client_ip(request) -> str:
    """The client's address, as the deployment's trusted proxies report it."""
    trusted = settings.TRUSTED_PROXIES
    if trusted > 0:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [h for h in hops if h]
        if len(hops) >= trusted:
            candidate = hops[-trusted]
            try:
                return str(ipaddress.ip_address(candidate))
            except ValueError:
                pass
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _window(period: int) -> int:
    now = int(time.time())
    return now - now % period


def record(key: str, *, period: int) -> int:
    """Count one more for ``key`` in the current window; the count so far, this one included."""
    window = _window(period)
    with connection.cursor() as cursor:
        cursor.execute(_UPSERT, [key[:200], window])
        (count,) = cursor.fetchone()
    if count == 1:  # a new window: forget windows that ended a day ago or more
        RateLimitCounter.objects.filter(window_start__lt=window - max(period, 86400)).delete()
    return count


def count(key: str, *, period: int) -> int:
    row = (
        RateLimitCounter.objects.filter(key=key[:200], window_start=_window(period))
        .values_list("count", flat=True)
        .first()
    )
    return row or 0


def limit_posts(name: str, *, limit: int, period: int, field: str = ""):
    """Decorate a view: more than ``limit`` POSTs from one client (and, with ``field``, for one
    value of that form field, e.g. a username) in ``period`` seconds answer 429."""
    from apps.core.errors import rate_limited

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method == "POST":
                keys = [f"{name}:ip:{client_ip(request)}"]
                value = request.POST.get(field, "").strip().lower() if field else ""
                if value:
                    keys.append(f"{name}:{field}:{value}")
                if max(record(key, period=period) for key in keys) > limit:
                    return rate_limited(request)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
