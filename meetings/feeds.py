"""The iCal feeds over HTTP: conditional GET, a shared cache, and invalidation on every change.

A rendered feed is cached under the site's data version (common.freshness), which any change
replaces. With REDIS_URL set every app server shares the cache, and so the version: a change
seen by one is seen by all. A change also removes the published files (unpublish).

A feed is rendered from its schedules' fragments (each schedule's events, written), kept in the
cache and in each process under what they were written from: after a change only the schedules
it touched are written again.
"""

from __future__ import annotations

import datetime
import functools
import gzip
import hashlib
import importlib.metadata
import inspect
import logging
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db.models import (
    Count,
    DateTimeField,
    Max,
    Min,
    Prefetch,
    Q,
    QuerySet,
    TextField,
)
from django.db.models.functions import Cast, Coalesce, Greatest
from django.http import Http404, HttpRequest, HttpResponse
from django.http.request import split_domain_port
from django.middleware.gzip import re_accepts_gzip
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from common import freshness
from common.db import DATABASE_UNAVAILABLE
from common.query import BadQuery, integer, read_all
from governance.models import Group, Person
from meetings import ical, privacy, recurrence, selectors, zones
from meetings.models import AgendaItem, Meeting, MeetingKind, Schedule

logger = logging.getLogger(__name__)
T = TypeVar("T")

CACHE_SECONDS = freshness.CACHE_SECONDS
# How long clients and proxies may reuse a response without asking again.
MAX_AGE = 5 * 60
# The last body served at a URL, kept across invalidations: what it serves while the database
# is unreachable.
LAST_COPY_KEY = "meetings:feed-last:{}"
# How many feeds each process keeps in its memory (settings.AGORA_FEED_RECHECK_SECONDS).
FEEDS_KEPT = 32
# Longest one worker may hold the right to render a feed (a render takes well under a second).
RENDER_LOCK_SECONDS = 30
FRAGMENT_KEY = "meetings:feed-fragment:{}"
# How many bytes of fragments each process keeps in its memory.
FRAGMENT_BYTES_KEPT = 16 * 1024 * 1024
# What a schedule's fragment is written from, read for every schedule of a feed in one query:
# the schedule's fields and those it shows of its meeting and group (so a change shows even where
# updated_at stood still), and of its occurrences, their agenda items and presenters how many,
# the newest and the latest change (a removal changes the count). The schedule's sequence rises
# with every change to its occurrences and agendas (meetings.services). Moments only compared are
# read as the database writes them: parsing a date-time costs more than the rest of a row.
STAMP_FIELDS = (
    *(
        field.attname
        for field in Schedule._meta.concrete_fields
        if not isinstance(field, DateTimeField)
    ),
    "meeting__title",
    "meeting__slug",
    "meeting__join_url",
    "meeting__agenda_url",
    "meeting__display_zones",
    "meeting__is_private",
    "meeting__group__name",
)
STAMP_TEXTS = {
    "created": Cast("created_at", TextField()),
    "updated": Cast("updated_at", TextField()),
    "meeting_updated": Cast("meeting__updated_at", TextField()),
    "group_updated": Cast("meeting__group__updated_at", TextField()),
}
STAMP_AGGREGATES = {
    # The schedule's, its meeting's or an occurrence's latest change: the feed's Last-Modified.
    "changed": Greatest(
        "updated_at",
        "meeting__updated_at",
        Coalesce(Max("occurrences__updated_at"), "updated_at"),
    ),
    "records": Count("occurrences", distinct=True),
    "newest_record": Max("occurrences__pk"),
    "records_changed": Cast(Max("occurrences__updated_at"), TextField()),
    "first_move": Min("occurrences__moved_start"),
    "last_move": Max("occurrences__moved_start"),
    "items": Count("occurrences__agenda_items", distinct=True),
    "newest_item": Max("occurrences__agenda_items__pk"),
    "presenters_changed": Cast(
        Max("occurrences__agenda_items__presenter__updated_at"), TextField()
    ),
}


def _published_path(path: str) -> Path | None:
    """Where the feed at URL `path` is published as a file, or None when feeds are not."""
    if not settings.AGORA_FEEDS_ROOT:
        return None
    return Path(settings.AGORA_FEEDS_ROOT) / path.lstrip("/")


def _gzipped(body: bytes) -> bytes:
    """The body gzipped at zlib's default level: a feed at level 9 (gzip's default) takes three
    times as long to compress, for 1 % fewer bytes. No timestamp: the same body, the same bytes."""
    return gzip.compress(body, compresslevel=6, mtime=0)


def publish(path: str, body: bytes, gzipped: bytes) -> None:
    """Write the feed at URL `path` (and its gzip) under AGORA_FEEDS_ROOT, each file replaced
    at once: a static server never reads half a feed."""
    target = _published_path(path)
    if target is None:
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    for name, data in (
        (target, body),
        (target.with_name(target.name + ".gz"), gzipped),
    ):
        with tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as temporary:
            temporary.write(data)
        os.chmod(temporary.name, 0o644)
        os.replace(temporary.name, name)


def unpublish(**kwargs) -> None:
    """Remove every published feed, on every change (freshness.replaced): the static server
    passes each request to the app again, which renders it once and publishes it anew."""
    if not settings.AGORA_FEEDS_ROOT:
        return
    for published in Path(settings.AGORA_FEEDS_ROOT).rglob("*.ics*"):
        published.unlink(missing_ok=True)


@dataclass(frozen=True)
class FeedSpec:
    """What one feed URL shows: its schedules, name and download file name."""

    key: str
    name: str
    filename: str
    # Called only to render: a cached answer builds no query.
    schedules: Callable[[], QuerySet]
    changed: list[datetime.datetime] = field(default_factory=list)
    # When the feed's content changes without a data change (a role's term starting or ending).
    stale_at: datetime.datetime | None = None


@dataclass(frozen=True)
class RenderedFeed:
    body: bytes
    # The same body gzipped, for clients that accept it: compressed once per render.
    gzipped: bytes
    etag: str
    last_modified: datetime.datetime
    stale_at: datetime.datetime | None


def feed_schedules(meetings: QuerySet | None = None) -> QuerySet:
    """Confirmed schedules (of `meetings`) with all a feed reads, in a fixed number of queries."""
    schedules = Schedule.objects.confirmed()
    if meetings is not None:
        schedules = schedules.filter(meeting__in=meetings)
    return schedules.select_related("meeting__group").prefetch_related(
        "occurrences",
        Prefetch(
            "occurrences__agenda_items", queryset=AgendaItem.objects.select_related("presenter")
        ),
    )


def site_spec() -> FeedSpec:
    return FeedSpec("all", f"{settings.AGORA_SITE_NAME} meetings", "meetings.ics", feed_schedules)


def group_spec(group: Group) -> FeedSpec:
    return FeedSpec(
        f"group:{group.pk}",
        f"{settings.AGORA_SITE_NAME}: {group.name}",
        f"{group.slug}.ics",
        lambda: feed_schedules(Meeting.objects.filter(group=group)),
        changed=[group.updated_at],
    )


def meeting_spec(meeting: Meeting) -> FeedSpec:
    return FeedSpec(
        f"meeting:{meeting.pk}",
        f"{settings.AGORA_SITE_NAME}: {meeting.title}",
        f"{meeting.slug}.ics",
        lambda: feed_schedules(Meeting.objects.filter(pk=meeting.pk)),
    )


def publish_all(*, base_url: str, domain: str) -> int:
    """Publish the site's feed and every group's and meeting's under AGORA_FEEDS_ROOT: how many."""
    specs = [
        (reverse("meetings:calendar-feed"), site_spec()),
        *(
            (reverse("meetings:group-feed", args=[g.slug]), group_spec(g))
            for g in Group.objects.all()
        ),
        *(
            (reverse("meetings:meeting-feed", args=[m.slug]), meeting_spec(m))
            for m in Meeting.objects.all()
        ),
    ]
    for path, spec in specs:
        body, _ = _body(spec, base_url=base_url, domain=domain, alarms=())
        publish(path, body, _gzipped(body))
    return len(specs)


@functools.cache
def _writer() -> str:
    """What else a fragment's bytes depend on: the code that writes them, the icalendar and
    tzdata versions and the meeting pages' URLs. A fragment another deploy wrote is never read."""
    digest = hashlib.sha256()
    for source in (ical, recurrence, zones, privacy, Schedule, Person):
        digest.update(Path(inspect.getfile(source)).read_bytes())
    for package in ("icalendar", "tzdata"):
        digest.update(importlib.metadata.version(package).encode())
    digest.update(
        reverse("meetings:occurrence-detail", args=["-", datetime.date(2000, 1, 1)]).encode()
    )
    return digest.hexdigest()


@dataclass
class _Fragments:
    """The fragments this process keeps (by key, with when each was written), up to
    FRAGMENT_BYTES_KEPT bytes."""

    kept: dict[str, tuple[float, bytes]] = field(default_factory=dict)
    size: int = 0

    def get(self, key: str) -> bytes | None:
        entry = self.kept.get(key)
        return entry[1] if entry is not None and _fresh(entry[0]) else None

    def keep(self, key: str, written_at: float, fragment: bytes) -> None:
        if self.size + len(fragment) > FRAGMENT_BYTES_KEPT:
            self.clear()
        if key not in self.kept:
            self.kept[key] = (written_at, fragment)
            self.size += len(fragment)

    def clear(self) -> None:
        self.kept.clear()
        self.size = 0


_fragments_here = _Fragments()


def _fresh(written_at: float) -> bool:
    # Bounds staleness from a write no stamp sees (no signals, no updated_at), as the feeds' own.
    return time.time() - written_at < CACHE_SECONDS


def _fragments(
    wanted: dict[str, T], write: Callable[[list[T]], dict[T, bytes]]
) -> dict[str, bytes]:
    """The fragments at the keys of `wanted` (each of a schedule's pk or a zone's name): this
    process's copy, else the cache's, else written by `write` and stored in both."""
    found = {key: fragment for key in wanted if (fragment := _fragments_here.get(key)) is not None}
    missing = [key for key in wanted if key not in found]
    shared = cache.get_many(missing) if missing else {}
    shared = {key: entry for key, entry in shared.items() if _fresh(entry[0])}
    unwritten = [key for key in missing if key not in shared]
    if unwritten:
        now = time.time()
        written = write([wanted[key] for key in unwritten])
        # A schedule deleted since its stamp was read is not written.
        new = {key: (now, written[wanted[key]]) for key in unwritten if wanted[key] in written}
        cache.set_many(new, timeout=CACHE_SECONDS)
        shared.update(new)
    for key, (written_at, fragment) in shared.items():
        _fragments_here.keep(key, written_at, fragment)
        found[key] = fragment
    return found


def _fragment_key(context: str, stamp: object) -> str:
    return FRAGMENT_KEY.format(hashlib.sha256(f"{context}{stamp}".encode()).hexdigest())


def _body(
    spec: FeedSpec, *, base_url: str, domain: str, alarms: tuple[int, ...]
) -> tuple[bytes, list[datetime.datetime]]:
    """The feed's bytes, from its schedules' fragments (writing those whose data changed), and
    when its schedules, their meetings and occurrences were last changed."""
    schedules = spec.schedules()
    stamps = sorted(
        schedules.prefetch_related(None)
        .order_by()
        .values(*STAMP_FIELDS, **STAMP_TEXTS)
        .annotate(**STAMP_AGGREGATES),
        key=lambda row: ical.feed_order(
            row["meeting__title"],
            row["meeting_id"],
            row["first_date"],
            row["start_time"],
            row["id"],
        ),
    )
    zone_range = ical.zone_range_of(
        [
            *(row["first_date"] for row in stamps),
            *(row["last_date"] for row in stamps if row["last_date"]),
            *(
                row[name].date()
                for row in stamps
                for name in ("first_move", "last_move")
                if row[name]
            ),
        ]
    )
    context = repr((_writer(), base_url, domain, alarms, zone_range, settings.AGORA_DISPLAY_ZONES))
    events = {_fragment_key(context, row): row["id"] for row in stamps}

    def write(pks: list[int]) -> dict[int, bytes]:
        return {
            schedule.pk: ical.schedule_ical(
                schedule, base_url=base_url, domain=domain, zone_range=zone_range, alarms=alarms
            )
            for schedule in schedules.filter(pk__in=pks)
        }

    # Written once for all processes sharing the cache: a new one scans no zone's transitions.
    zones = {
        _fragment_key(_writer(), (zone, zone_range)): zone
        for zone in ical.feed_zones(row["time_zone"] for row in stamps)
    }
    vtimezones = _fragments(
        zones, lambda names: {name: ical.vtimezone_ical(name, *zone_range) for name in names}
    )
    fragments = _fragments(events, write)
    body = ical.feed_ical(
        spec.name,
        [vtimezones[key] for key in zones],
        [fragments.get(key, b"") for key in events],
    )
    changed = [row["changed"] for row in stamps]
    return body, changed


def _render(
    spec: FeedSpec, *, base_url: str, domain: str, seen_key: str, alarms: tuple[int, ...]
) -> RenderedFeed:
    started = time.perf_counter()
    now = timezone.now()
    body, changed = _body(spec, base_url=base_url, domain=domain, alarms=alarms)
    etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    # A removed record or a role's term ending leaves no updated_at behind: the time this body
    # was first served covers that.
    seen = cache.get(seen_key)
    since = seen[1] if seen and seen[0] == etag else now
    cache.set(seen_key, (etag, since), timeout=None)
    logger.info("Rendered feed %s in %.3f s", spec.key, time.perf_counter() - started)
    return RenderedFeed(
        body, _gzipped(body), etag, max([since, *spec.changed, *changed]), spec.stale_at
    )


def _site(request: HttpRequest) -> tuple[str, str]:
    """The base URL of links in the feed, and the domain of its UIDs."""
    domain = settings.AGORA_ICAL_DOMAIN or split_domain_port(request.get_host())[0]
    return request.build_absolute_uri("/").rstrip("/"), domain or ical.DEFAULT_DOMAIN


def _last_copy_key(request: HttpRequest) -> str:
    base_url, domain = _site(request)
    url = f"{request.get_full_path()}\n{base_url}\n{domain}"
    return LAST_COPY_KEY.format(hashlib.sha256(url.encode()).hexdigest())


# ?alarm=15: a VALARM that many minutes before each event (several allowed), a week at most.
ALARM_MINUTES = integer(minimum=0, maximum=7 * 24 * 60)


def alarms(request: HttpRequest) -> tuple[int, ...]:
    """The feed's ?alarm= minutes, each once, in order."""
    return tuple(sorted(set(read_all(request.GET, "alarm", ALARM_MINUTES))))


def _cache_keys(request: HttpRequest, spec: FeedSpec) -> tuple[str, str]:
    """Where the feed's body with its validators is cached, and where its validators alone are."""
    base_url, domain = _site(request)
    identity = f"{spec.key}\n{base_url}\n{domain}\n{alarms(request)}"
    digest = hashlib.sha256(identity.encode()).hexdigest()
    return f"meetings:feed:{digest}", f"meetings:feed-validators:{digest}"


def _cached(key: str) -> tuple[str, RenderedFeed | None]:
    """The current data version and the feed cached under `key` for it: one cache round trip."""
    return freshness.read(key)


def respond(request: HttpRequest, spec: FeedSpec) -> HttpResponse:
    """The feed, from the cache when its data has not changed, or 304 when the client has it.

    A hit is one cache round trip, or none while this process's copy is fresh (kept); a
    conditional request reads the validators alone, never the body. After a change one worker
    renders while the others serve the copy it replaces.
    """
    body_key, validators_key = _cache_keys(request, spec)
    kept = _kept(body_key)
    if kept is not None:
        return _response(request, kept, spec.filename)
    conditional = "HTTP_IF_NONE_MATCH" in request.META or "HTTP_IF_MODIFIED_SINCE" in request.META
    if conditional:
        version, validators = _cached(validators_key)
        if validators is not None:
            answer = _not_modified(request, validators)
            if answer is not None:
                return _headers(answer, validators, spec.filename)
    version, rendered = _cached(body_key)
    if rendered is None:
        rendered = _render_once(request, spec, version, body_key, validators_key)
        if rendered is None:
            # Another worker renders it: the copy it replaces, meanwhile.
            last = cache.get(_last_copy_key(request))
            if last is not None:
                return _response(request, last[0], spec.filename)
            rendered = _render_once(request, spec, version, body_key, validators_key, force=True)
    _keep(body_key, version, rendered)
    return _response(request, rendered, spec.filename)


# The feeds this process served, each with the data version it was rendered under and the moment
# (time.monotonic()) it goes out of date.
_kept_here: dict[str, tuple[str, float, RenderedFeed]] = {}


def _kept(key: str) -> RenderedFeed | None:
    """The feed this process served at `key`, while the data version it read less than
    AGORA_FEED_RECHECK_SECONDS ago is current and the feed is not out of date: no cache trip."""
    version = freshness.known()
    entry = _kept_here.get(key)
    if version is None or entry is None or entry[0] != version or entry[1] <= time.monotonic():
        return None
    return entry[2]


def _keep(key: str, version: str, rendered: RenderedFeed) -> None:
    if settings.AGORA_FEED_RECHECK_SECONDS <= 0:
        return
    now = time.monotonic()
    if len(_kept_here) >= FEEDS_KEPT or any(entry[0] != version for entry in _kept_here.values()):
        _kept_here.clear()
    until = now + CACHE_SECONDS
    if rendered.stale_at is not None:
        until = min(until, now + (rendered.stale_at - timezone.now()).total_seconds())
    _kept_here[key] = (version, until, rendered)


def _render_once(
    request: HttpRequest,
    spec: FeedSpec,
    version: str,
    body_key: str,
    validators_key: str,
    *,
    force: bool = False,
) -> RenderedFeed | None:
    """Render and cache the feed; None when another worker is rendering it (unless `force`)."""
    lock = f"{body_key}:rendering"
    taken = cache.add(lock, version, timeout=RENDER_LOCK_SECONDS)
    if not (taken or force) and cache.get(lock) is not None:
        return None
    try:
        base_url, domain = _site(request)
        seen_key = body_key.replace("meetings:feed:", "meetings:feed-seen:")
        rendered = _render(
            spec, base_url=base_url, domain=domain, seen_key=seen_key, alarms=alarms(request)
        )
        timeout = CACHE_SECONDS
        if rendered.stale_at is not None:
            until_stale = (rendered.stale_at - timezone.now()).total_seconds()
            timeout = max(1, min(timeout, int(until_stale) + 1))
        validators = RenderedFeed(
            b"", b"", rendered.etag, rendered.last_modified, rendered.stale_at
        )
        cache.set_many(
            {body_key: (version, rendered), validators_key: (version, validators)},
            timeout=timeout,
        )
        cache.set(_last_copy_key(request), (rendered, spec.filename), timeout=None)
        # Not a body rendered from data a change committed meanwhile has replaced (and
        # unpublished): nginx would serve it until the next change.
        if spec.stale_at is None and not request.GET and cache.get(freshness.KEY) == version:
            publish(request.path, rendered.body, rendered.gzipped)
    finally:
        if taken:
            cache.delete(lock)
    return rendered


def _not_modified(request: HttpRequest, rendered: RenderedFeed) -> HttpResponse | None:
    last_modified = int(rendered.last_modified.timestamp())
    return get_conditional_response(request, etag=rendered.etag, last_modified=last_modified)


def _headers(response: HttpResponse, rendered: RenderedFeed, filename: str) -> HttpResponse:
    response["ETag"] = rendered.etag
    response["Last-Modified"] = http_date(int(rendered.last_modified.timestamp()))
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    patch_vary_headers(response, ["Accept-Encoding"])
    if rendered.stale_at is not None:
        freshness.stays_right_until(response, rendered.stale_at)
    return response


def _response(request: HttpRequest, rendered: RenderedFeed, filename: str) -> HttpResponse:
    not_modified = _not_modified(request, rendered)
    if not_modified is not None:
        return _headers(not_modified, rendered, filename)
    gzipped = re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", ""))
    response = HttpResponse(
        rendered.gzipped if gzipped else rendered.body, content_type="text/calendar; charset=utf-8"
    )
    _headers(response, rendered, filename)
    if gzipped:
        response["Content-Encoding"] = "gzip"
        # Another representation of the same feed: weakly equal, as GZipMiddleware marks it.
        response["ETag"] = f"W/{rendered.etag}"
    return response


def serves_last_copy(view):
    """While the database is unreachable, the feed view serves the last copy published at its URL.

    Without one, the error goes on to config.middleware, which answers 503.
    """

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except DATABASE_UNAVAILABLE:
            last = cache.get(_last_copy_key(request))
            if last is None:
                raise
            return _response(request, *last)

    return wrapper


def _named(request: HttpRequest, parameter: str, rows: QuerySet, noun: str) -> list:
    """The rows whose slugs ?`parameter`=a,b names, refusing none or an unknown one."""
    slugs = sorted({slug.strip() for slug in request.GET[parameter].split(",") if slug.strip()})
    if not slugs:
        raise BadQuery(parameter, f"Name at least one {noun}: ?{parameter}=slug,slug")
    found = list(rows.filter(slug__in=slugs))
    unknown = sorted(set(slugs) - {row.slug for row in found})
    if unknown:
        raise BadQuery(
            parameter, f"Unknown {noun}{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}"
        )
    return found


@require_safe
@serves_last_copy
def calendar_feed(request: HttpRequest) -> HttpResponse:
    """/calendar.ics: every meeting; ?groups=a,b: the meetings of those groups; ?meetings=x,y:
    those meetings (with groups: theirs too); ?kind=k: the meetings of that kind (of the chosen
    ones): what a filtered /meetings/ or the calendar builder shows."""
    kind = request.GET.get("kind", "")
    if kind and kind not in MeetingKind.values:
        raise BadQuery("kind", f"Unknown kind: {kind}. Known: {', '.join(MeetingKind.values)}")
    if "groups" not in request.GET and "meetings" not in request.GET and not kind:
        return respond(request, site_spec())
    meetings = Meeting.objects.filter(kind=kind) if kind else Meeting.objects.all()
    groups: list[Group] = []
    chosen: list[Meeting] = []
    if "groups" in request.GET:
        groups = _named(request, "groups", Group.objects.order_by("name"), "group")
    if "meetings" in request.GET:
        chosen = _named(request, "meetings", Meeting.objects.order_by("title"), "meeting")
    if groups or chosen:
        meetings = meetings.filter(Q(group__in=groups) | Q(pk__in=[row.pk for row in chosen]))
    title = ", ".join([group.name for group in groups] + [row.title for row in chosen])
    key = [f"groups:{','.join(sorted(group.slug for group in groups))}"] if groups else []
    if chosen:
        key.append(f"meetings:{','.join(sorted(row.slug for row in chosen))}")
    if kind:
        label = MeetingKind(kind).label.lower()
        title = f"{title} ({label})" if title else label
        key.append(f"kind:{kind}")
    spec = FeedSpec(
        ":".join(key),
        f"{settings.AGORA_SITE_NAME}: {title}",
        "meetings.ics",
        lambda: feed_schedules(meetings),
        changed=[group.updated_at for group in groups] + [row.updated_at for row in chosen],
    )
    return respond(request, spec)


@require_safe
@serves_last_copy
def group_feed(request: HttpRequest, slug: str) -> HttpResponse:
    return respond(request, group_spec(get_object_or_404(Group, slug=slug)))


@require_safe
@serves_last_copy
def meeting_feed(request: HttpRequest, slug: str) -> HttpResponse:
    return respond(request, meeting_spec(get_object_or_404(Meeting, slug=slug)))


def _next_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


@require_safe
@serves_last_copy
def person_feed(request: HttpRequest, handle: str) -> HttpResponse:
    """The meetings of the groups the person has a current role in."""
    person = get_object_or_404(Person, handle__iexact=handle)
    roles = list(person.roles.all())
    today = timezone.localdate()
    groups = sorted({role.group_id for role in roles if role.is_current})
    boundaries = [day for role in roles for day in (role.start, role.end) if day and day > today]
    spec = FeedSpec(
        f"person:{person.pk}:{','.join(map(str, groups))}",
        f"{settings.AGORA_SITE_NAME}: meetings of @{person.handle}",
        f"{person.handle}.ics",
        lambda: feed_schedules(Meeting.objects.filter(group__in=groups)),
        changed=[person.updated_at, *(role.updated_at for role in roles)],
        stale_at=_next_midnight(min(boundaries)) if boundaries else None,
    )
    return respond(request, spec)


@require_safe
def occurrence_event(request: HttpRequest, slug: str, day: datetime.date) -> HttpResponse:
    """The occurrences of one date of a meeting (those moved away from it included) as a
    calendar to download and open: the one-event .ics of an occurrence page."""
    detail = selectors.occurrence_detail(slug=slug, day=day)
    if detail is None:
        raise Http404(f"No meeting {slug!r}.")
    slots = detail.slots + [slot for slot in detail.moved_away if slot not in detail.slots]
    if not slots:
        raise Http404("The meeting does not meet on this date.")
    base_url, domain = _site(request)
    body = ical.occurrence_calendar(slots, base_url=base_url, domain=domain)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slug}-{day:%Y-%m-%d}.ics"'
    return response
