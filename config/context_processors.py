"""Context every page's base template needs."""

from django.conf import settings
from django.urls import reverse_lazy

# The sections every page links to, by route name: resolved on first use, after the URLconf loads.
NAVIGATION = [
    ("Groups", reverse_lazy("governance:group-list")),
    ("People", reverse_lazy("governance:person-list")),
    ("Meetings", reverse_lazy("meetings:meeting-list")),
    ("Projects", reverse_lazy("projects:project-list")),
    ("Enhancements", reverse_lazy("projects:proposal-list")),
    ("Landscape", reverse_lazy("projects:landscape")),
    ("Help wanted", reverse_lazy("projects:help-wanted")),
    ("Governance", reverse_lazy("governance:governance")),
]


def site(request):
    return {
        "site_name": settings.AGORA_SITE_NAME,
        "navigation": [
            {"label": label, "path": str(path), "current": request.path.startswith(str(path))}
            for label, path in NAVIGATION
        ],
    }
