"""The caching header of every page, and requests no view can answer well: control characters
in the address (404) or the query (400), and any request while the database is unreachable (503,
not a traceback).

PostgreSQL refuses NUL in text, so such a value would otherwise fail deep in a query; here it
is refused once, for every page, feed and endpoint, before any view reads it.
"""

import logging

from django.http import Http404, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control

from common.db import DATABASE_UNAVAILABLE
from common.query import CONTROL_CHARACTERS, BadQuery, has_control_characters

logger = logging.getLogger(__name__)

# A restarting PostgreSQL is back within seconds; clients should not hammer it meanwhile.
RETRY_AFTER_SECONDS = 10


def revalidate_by_default(get_response):
    """A page or API answer that sets no Cache-Control of its own is kept only by the reader's
    browser, which asks again each time: with its ETag (ConditionalGetMiddleware), a 304."""

    def middleware(request):
        response = get_response(request)
        if request.method in ("GET", "HEAD") and not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_cache=True)
        return response

    return middleware


def reject_control_characters(get_response):
    def middleware(request):
        if has_control_characters(request.path):
            raise Http404("No address has control characters in it.")
        for name, values in request.GET.lists():
            if has_control_characters(name) or any(map(has_control_characters, values)):
                raise BadQuery(
                    CONTROL_CHARACTERS.sub("?", name),
                    "Control characters (such as NUL) are not allowed.",
                )
        return get_response(request)

    return middleware


class DatabaseUnavailableMiddleware:
    """Answers a view's lost database connection with 503 and Retry-After."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DATABASE_UNAVAILABLE):
            return None
        logger.error("Database unavailable for %s %s: %s", request.method, request.path, exception)
        message = f"The database is unavailable; retry in {RETRY_AFTER_SECONDS} seconds."
        if request.path.startswith("/api/"):
            response = JsonResponse({"detail": message}, status=503)
        else:
            # No request context: its processors would read the session from the database.
            body = render_to_string("503.html", {"message": message})
            response = HttpResponse(body, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
