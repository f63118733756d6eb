"""The public page cache: what anonymous readers are shown, stored once and served again until
the data changes or the clock makes it wrong.

A GET or HEAD that carries no cookie but the CSRF cookie and no Authorization header is answered
from a stored copy when there is one, before sessions, authentication, CSRF, messages and the
view run: from this process's memory while the data version it read is fresh (no cache round
trip), else with one round trip to the shared cache for the version and the copy together. A
request whose If-None-Match names the stored ETag gets 304, the body left unread.

A response is stored when, as Django's UpdateCacheMiddleware decides, it is a 200 to a GET that
sets no cookie and is not marked private, no-store, no-cache or max-age=0 by its view; and
besides, when it did not put a CSRF token in the page, was made for an anonymous user and varies
on nothing but what the copy is found by. That is the path, the query string, the scheme, the
Host, Accept (the API's content negotiation) and whether the client takes gzip; a copy lives
under the data version (common.freshness) for at most AGORA_PAGE_CACHE_SECONDS, less when its
view gave a shorter max-age, and never past the moment its view said the clock makes it wrong
(freshness.stays_right_until).
"""

from __future__ import annotations

import hashlib
import time
from collections import OrderedDict
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.gzip import re_accepts_gzip
from django.utils.cache import cc_delim_re, get_conditional_response, get_max_age
from django.utils.http import parse_http_date_safe

from common import freshness

# What a stored copy may vary on: the key holds Accept and gzip-or-not, and only requests without
# a session (or any other cookie but the CSRF one) are served from it.
VARIES_ON = {"accept", "accept-encoding", "cookie"}
REFUSED_DIRECTIVES = {"private", "no-store", "no-cache"}
CONDITIONAL_HEADERS = (
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_MATCH",
    "HTTP_IF_UNMODIFIED_SINCE",
)
# Headers a 304 carries over from the stored response (RFC 9110, 15.4.5).
NOT_MODIFIED_HEADERS = {"cache-control", "content-location", "etag", "expires", "vary"}
# This process's copies: at most this many bytes of bodies, the least recently served dropped.
KEPT_BYTES = 32 * 1024 * 1024
LARGEST = KEPT_BYTES // 8


@dataclass(frozen=True)
class Stored:
    headers: tuple[tuple[str, str], ...]
    body: bytes
    etag: str | None
    last_modified: int | None
    # When it stops being right (time.time()).
    expires: float


# Kept in this process alone, for a request whose answer was not to be stored: the view answers
# it again without a round trip to the shared cache each time, for AGORA_PAGE_CACHE_SECONDS.
NOT_STORED = None

# key -> (data version, until when (time.time()), Stored or NOT_STORED), least recently served
# first.
_kept: OrderedDict[str, tuple[str, float, Stored | None]] = OrderedDict()
_kept_bytes = [0]


def public_page_cache(get_response):
    def middleware(request: HttpRequest) -> HttpResponse:
        if not settings.AGORA_PAGE_CACHE or not _anonymous(request):
            return get_response(request)
        key = _key(request)
        version, found = _find(key)
        if isinstance(found, Stored):
            return _answer(request, found)
        response = get_response(request)
        if version and request.method == "GET" and found is not NOT_STORED:
            _store(key, version, _storable(request, response))
        return response

    return middleware


def _anonymous(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD") or "HTTP_AUTHORIZATION" in request.META:
        return False
    return set(request.COOKIES) <= {settings.CSRF_COOKIE_NAME}


def _key(request: HttpRequest) -> str:
    meta = request.META
    identity = "\n".join(
        [
            request.scheme or "",
            meta.get("HTTP_HOST") or f"{meta.get('SERVER_NAME')}:{meta.get('SERVER_PORT')}",
            request.path,
            meta.get("QUERY_STRING", ""),
            meta.get("HTTP_ACCEPT", ""),
            "gzip" if re_accepts_gzip.search(meta.get("HTTP_ACCEPT_ENCODING", "")) else "",
        ]
    )
    return "agora:page:" + hashlib.sha256(identity.encode()).hexdigest()


def _find(key: str) -> tuple[str, Stored | bool | None]:
    """The data version, and what is known of `key` under it: its Stored copy, NOT_STORED (this
    process saw lately that its answer is not to be stored), or False (nothing)."""
    version = freshness.known()
    if version:
        entry = _kept.get(key)
        if entry is not None and entry[0] == version and entry[1] > time.time():
            _kept.move_to_end(key)
            return version, entry[2]
    version, shared = freshness.read(key)
    # Without a version the cache is unreachable: no change made elsewhere would be seen.
    if not version or shared is None or shared.expires <= time.time():
        return version, False
    _keep(key, version, shared)
    return version, shared


def _storable(request: HttpRequest, response: HttpResponse) -> Stored | None:
    """The copy of `response` to store, or NOT_STORED when it must not be."""
    user = getattr(request, "user", None)
    if (
        response.status_code != 200
        or response.streaming
        or response.cookies
        or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        or (user is not None and user.is_authenticated)
    ):
        return NOT_STORED
    directives = {d.split("=")[0].strip().lower() for d in _listed(response, "Cache-Control")}
    varies = {name.strip().lower() for name in _listed(response, "Vary") if name.strip()}
    max_age = get_max_age(response)
    if directives & REFUSED_DIRECTIVES or max_age == 0 or not varies <= VARIES_ON:
        return NOT_STORED
    now = time.time()
    lifetime = settings.AGORA_PAGE_CACHE_SECONDS if max_age is None else max_age
    expires = now + min(settings.AGORA_PAGE_CACHE_SECONDS, lifetime)
    right_until = freshness.right_until(response)
    if right_until is not None:
        expires = min(expires, right_until.timestamp())
    if expires <= now or len(response.content) > LARGEST:
        return NOT_STORED
    return Stored(
        tuple(response.items()),
        response.content,
        response.get("ETag"),
        parse_http_date_safe(response.get("Last-Modified", "")),
        expires,
    )


def _listed(response: HttpResponse, header: str) -> list[str]:
    return cc_delim_re.split(response.get(header, ""))


def _store(key: str, version: str, stored: Stored | None) -> None:
    if stored is not NOT_STORED:
        seconds = max(1, int(stored.expires - time.time()))
        cache.set(key, (version, stored), timeout=min(seconds, freshness.CACHE_SECONDS))
    _keep(key, version, stored)


def _keep(key: str, version: str, stored: Stored | None) -> None:
    if settings.AGORA_FEED_RECHECK_SECONDS <= 0:
        return
    expires = time.time() + settings.AGORA_PAGE_CACHE_SECONDS if stored is None else stored.expires
    previous = _kept.pop(key, None)
    if previous is not None and previous[2] is not None:
        _kept_bytes[0] -= len(previous[2].body)
    _kept[key] = (version, expires, stored)
    if stored is not None:
        _kept_bytes[0] += len(stored.body)
    while _kept_bytes[0] > KEPT_BYTES:
        _, (_, _, dropped) = _kept.popitem(last=False)
        if dropped is not None:
            _kept_bytes[0] -= len(dropped.body)


def _answer(request: HttpRequest, stored: Stored) -> HttpResponse:
    conditional = any(header in request.META for header in CONDITIONAL_HEADERS)
    not_modified = conditional and get_conditional_response(
        request, etag=stored.etag, last_modified=stored.last_modified
    )
    if not_modified:
        for name, value in stored.headers:
            if name.lower() in NOT_MODIFIED_HEADERS:
                not_modified[name] = value
        return not_modified  # 304, or 412 for a failed If-Match
    response = HttpResponse(stored.body)
    for name, value in stored.headers:
        response[name] = value
    return response
