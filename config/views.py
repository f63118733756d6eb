"""Site-wide pages: home and search."""

from django.shortcuts import render

from governance import selectors as governance
from meetings import selectors as meetings

# Shortest query worth searching for: one letter matches nearly everything.
MIN_QUERY_LENGTH = 2


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
