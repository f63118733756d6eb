"""Site-wide pages: home and search, and the error pages."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views import defaults
from django.views.decorators.http import require_safe

from common.query import BadQuery
from governance import permissions as rules
from governance import selectors as governance
from meetings import selectors as meetings

# Shortest query worth searching for: one letter matches nearly everything.
MIN_QUERY_LENGTH = 2


@require_safe
def home(request):
    """The community at a glance; with `?q=`, what matches the query instead."""
    q = request.GET.get("q", "").strip()
    if q:
        too_short = len(q) < MIN_QUERY_LENGTH
        context = {
            "q": q,
            "too_short": too_short,
            "groups": [] if too_short else governance.search_groups(q),
            "people": [] if too_short else governance.search_people(q),
            "limit": governance.SEARCH_LIMIT,
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
