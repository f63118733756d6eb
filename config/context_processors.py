"""Context every page's base template needs."""

from django.conf import settings

# The public URL contract (DESIGN.md): the sections every page links to.
NAVIGATION = [
    ("Groups", "/groups/"),
    ("People", "/people/"),
    ("Meetings", "/meetings/"),
    ("Projects", "/projects/"),
    ("Enhancements", "/enhancements/"),
    ("Governance", "/governance/"),
]


def site(request):
    return {
        "site_name": settings.AGORA_SITE_NAME,
        "navigation": [
            {"label": label, "path": path, "current": request.path.startswith(path)}
            for label, path in NAVIGATION
        ],
    }
