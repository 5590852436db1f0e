"""Friendly error pages, and a 503 while the database is down.

``server_error`` is the project's ``handler500``: Django calls it inside the ``except`` block of
any uncaught exception, so it can tell a database that is down (an ``OperationalError`` or
``InterfaceError``) from a bug. It renders without the request's context processors, which
would reach for the session and the user, that is, for the database.
"""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader

RETRY_AFTER_SECONDS = 30


def database_down(exc: BaseException | None) -> bool:
    """Whether ``exc`` (or what it was raised from) says the database cannot be reached."""
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, OperationalError | InterfaceError):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


def _page(template: str, status: int) -> HttpResponse:
    return HttpResponse(loader.get_template(template).render({}), status=status)


def server_error(request, *args, **kwargs) -> HttpResponse:
    if database_down(sys.exc_info()[1]):
        response = _page("503.html", 503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return _page("500.html", 500)


def rate_limited(request, exception=None) -> HttpResponse:
    """django-ratelimit's view for a refused request: 429 Too Many Requests."""
    response = HttpResponse(loader.get_template("429.html").render({}, request), status=429)
    response["Retry-After"] = "3600"
    return response
