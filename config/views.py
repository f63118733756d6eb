"""Site-wide pages: home and search (config.search), the API schema, and the error pages."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views import defaults
from django.views.decorators.http import require_safe
from drf_spectacular.views import SpectacularAPIView

from common import freshness
from common.query import BadQuery, has_control_characters
from config import search
from governance import permissions as rules
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
        return render(request, "home.html", context)
    next_meetings = meetings.next_meetings()
    context = {
        "group_counts": governance.group_counts_by_kind(),
        "people_count": governance.person_count(),
        "next_meetings": next_meetings,
    }
    response = render(request, "home.html", context)
    # The list changes when its first occurrence ends.
    if next_meetings:
        freshness.stays_right_until(response, min(slot.end for slot in next_meetings))
    return response


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


class SignIn(auth_views.LoginView):
    """GitHub sign-in for leads, password sign-in for admins, on a page named after the site
    (Django's names it after the request's host)."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        github = settings.SOCIALACCOUNT_PROVIDERS["github"]["APPS"][0]
        context.update(site_name=settings.AGORA_SITE_NAME, github_sign_in=bool(github["client_id"]))
        return context


@require_safe
@login_required
def my_groups(request):
    """The groups the signed-in person belongs to, their next meetings and what still needs
    an agenda, and what they may edit; for a login the roster does not know, who to ask."""
    person = governance.person_of(request.user)
    groups = governance.groups_of(person) if person else []
    led = rules.groups_led_by(request.user)
    organised = rules.meetings_organised_by(request.user)
    summaries = meetings.my_meetings(groups=[row.group for row in groups], meetings=organised)
    context = {
        "person": person,
        "login": request.user.get_username(),
        "memberships": [
            {"group": row.group, "roles": row.roles, "edits": row.group.pk in led} for row in groups
        ],
        "meetings": [
            {
                "summary": summary,
                "edits": rules.leads(request.user, [summary.meeting.group_id], led_groups=led)
                or summary.meeting.pk in organised,
            }
            for summary in summaries
        ],
        "steering": governance.steering_group(),
    }
    return render(request, "my_groups.html", context)
