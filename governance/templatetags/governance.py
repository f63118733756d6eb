"""Template filters of the governance pages."""

from urllib.parse import urlsplit

from django import template

from governance import selectors

register = template.Library()


@register.simple_tag
def elections_due():
    """The groups whose terms end soon (selectors.elections_due), for the admin's index."""
    return selectors.elections_due()


@register.filter
def owners_label(url: str) -> str:
    """A short name for an OWNERS file URL: "kubernetes/kubernetes pkg/kubelet"."""
    parts = urlsplit(url)
    segments = [segment for segment in parts.path.split("/") if segment]
    if parts.netloc == "github.com" and len(segments) > 4 and segments[2] == "blob":
        segments = [*segments[:2], *segments[3:]]
    elif parts.netloc != "raw.githubusercontent.com" or len(segments) < 4:
        return url
    repository = "/".join(segments[:2])
    # Past the branch ("main", or "refs/heads/main"), up to the file name.
    path = segments[5:-1] if segments[2:4] == ["refs", "heads"] else segments[3:-1]
    return f"{repository} {'/'.join(path)}" if path else repository
