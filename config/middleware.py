"""Requests no view can answer: control characters in the address (404) or the query (400).

PostgreSQL refuses NUL in text, so such a value would otherwise fail deep in a query; here it
is refused once, for every page, feed and endpoint, before any view reads it.
"""

from django.http import Http404

from config.query import CONTROL_CHARACTERS, BadQuery, has_control_characters


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
