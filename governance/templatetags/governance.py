"""Template filters of the governance pages."""

import datetime
import zoneinfo
from urllib.parse import urlsplit

from django import template
from django.utils.safestring import SafeString

from common.markdown import sanitised_html
from governance import selectors
from governance.elections.models import zone_label

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


@register.filter
def statement_html(text: str) -> SafeString:
    """A candidate's Markdown statement as sanitised HTML, as minutes are."""
    return sanitised_html(text)


@register.filter
def in_zone(moment: datetime.datetime, zone: str) -> str:
    """An instant in a named zone, then in UTC: "23:59 AoE, Thursday 5 November 2026
    (11:59 UTC, Friday 6 November)"."""
    local = moment.astimezone(zoneinfo.ZoneInfo(zone))
    utc = moment.astimezone(datetime.UTC)
    text = f"{local:%H:%M} {zone_label(zone)}, {local:%A} {local.day} {local:%B %Y}"
    if zone_label(zone) == "UTC":
        return text
    return f"{text} ({utc:%H:%M} UTC, {utc:%A} {utc.day} {utc:%B})"
