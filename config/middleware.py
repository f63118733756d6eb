"""While the database is unreachable, every page and endpoint says so with 503, not a traceback."""

import logging

from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string

from common.db import DATABASE_UNAVAILABLE

logger = logging.getLogger(__name__)

# A restarting PostgreSQL is back within seconds; clients should not hammer it meanwhile.
RETRY_AFTER_SECONDS = 10


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
