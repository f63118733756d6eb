"""Site-wide pages: home and search (config.search), the API schema, and the error pages."""

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views import defaults
from django.views.decorators.http import require_safe
from drf_spectacular.views import SpectacularAPIView

from common.query import BadQuery, has_control_characters
from config import search
from governance import selectors as governance
from meetings import selectors as meetings


@require_safe
def home(request):
    """The community at a glance; with `?q=`, what matches the query instead."""
    q = request.GET.get("q", "").strip()
    if has_control_characters(q):
        raise BadQuery("q", "A search cannot hold control characters.")
    if q:
        too_short = len(q) < search.MIN_QUERY_LENGTH
        context = {
            "q": q,
            "too_short": too_short,
            "results": [] if too_short else search.search(q, viewer=request.user),
            "limit": search.TOTAL,
        }
    else:
        context = {
            "group_counts": governance.group_counts_by_kind(),
            "people_count": governance.person_count(),
            "next_meetings": meetings.next_meetings(),
        }
    return render(request, "home.html", context)


def _is_api(request) -> bool:
    return request.path.startswith(reverse("api:api-root"))


def bad_request(request, exception):
    """400: a bad query parameter is named, with why; other bad requests say only that."""
    if isinstance(exception, BadQuery):
        if _is_api(request):
            return JsonResponse({exception.parameter: [exception.reason]}, status=400)
        return render(request, "400.html", {"error": exception}, status=400)
    return defaults.bad_request(request, exception)


def not_found(request, exception):
    if _is_api(request):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)


class SchemaView(SpectacularAPIView):
    """/api/schema/: built from the code alone (SERVE_PUBLIC: the same for every reader), so
    rendered once per process, API version and format rather than on every request."""

    _rendered: dict[tuple, tuple[bytes, str, str]] = {}

    def _get_schema_response(self, request):
        version = self.api_version or request.version or self._get_version_parameter(request)
        key = (version, request.accepted_media_type)
        if key not in self._rendered:
            response = super()._get_schema_response(request)
            response.accepted_renderer = request.accepted_renderer
            response.accepted_media_type = request.accepted_media_type
            response.renderer_context = self.get_renderer_context()
            response.render()
            self._rendered[key] = (
                response.content,
                response["Content-Type"],
                response["Content-Disposition"],
            )
        content, content_type, disposition = self._rendered[key]
        return HttpResponse(
            content, content_type=content_type, headers={"Content-Disposition": disposition}
        )
