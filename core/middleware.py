"""A database that is gone (restarting, unreachable) is a clean 503 on every page and feed, not
Django's 500: the API's own exception handler already answers JSON 503 ``unavailable``; this
covers the pages and the calendar feeds. The answer is rendered without touching the database
(no context processors, no user), and asks the client to retry shortly."""

import logging
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = "5"


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        log.warning("database unavailable during %s: %s", request.path, exception)
        message = _("The service is briefly unavailable; please retry.")
        if request.path.startswith("/ical/"):
            response = HttpResponse(message, status=503, content_type="text/plain; charset=utf-8")
        else:
            page = render_to_string("core/unavailable.html", {"message": message})
            response = HttpResponse(page, status=503)
        response["Retry-After"] = RETRY_AFTER_SECONDS
        response["Cache-Control"] = "no-store"
        return response
