"""What every cached copy of a page, API answer or feed rests on: one site-wide data version,
and the moment the clock makes a response wrong.

The version is a random token in the shared cache. Any committed change to what the site shows
replaces it (config.apps connects the model signals to `bump_after_commit`), which makes every
copy cached under the old one unreachable on every app server sharing the cache at once. Writes
that send no model signals (bulk_create, QuerySet.update(), raw SQL) call `bump_after_commit()`
themselves. A write of many rows (an import) wraps them in `bumped_once()`: one replacement.

Each process keeps the version it read last for settings.AGORA_FEED_RECHECK_SECONDS before
asking the cache again: a change reaches every app server within that many seconds.
"""

from __future__ import annotations

import contextlib
import datetime
import math
import threading
import time
import uuid
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, transaction
from django.dispatch import Signal
from django.http import HttpResponse

KEY = "agora:data-version"
# Longest any copy stays cached: it also bounds staleness after a write that neither sends a
# model signal nor bumps the version.
CACHE_SECONDS = 60 * 60

# Sent (sender=None) in the process that replaced the version, after it did: what that process
# must drop besides the copies kept under the old version (the published feed files).
replaced = Signal()

# The version this process read last, and when (time.monotonic()).
_read: list = ["", -math.inf]
# In a thread inside bumped_once(): the databases whose changes wait for its end ("aliases").
_batched = threading.local()


def current() -> str:
    """The data version; read it before reading the data a copy is made of. Empty while the
    cache is unreachable: then no change is seen by other app servers, and nothing is stored
    under it for longer than AGORA_FEED_RECHECK_SECONDS."""
    if time.monotonic() - _read[1] < settings.AGORA_FEED_RECHECK_SECONDS:
        return _read[0]
    version = cache.get(KEY)
    if version is None:
        cache.add(KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(KEY, "")
    remember(version)
    return version


def known() -> str | None:
    """The version this process read less than AGORA_FEED_RECHECK_SECONDS ago, else None: a
    copy kept under it may be served without asking the cache."""
    if time.monotonic() - _read[1] < settings.AGORA_FEED_RECHECK_SECONDS:
        return _read[0]
    return None


def remember(version: str) -> None:
    """Note a version read from the cache along with something else (one round trip for both)."""
    _read[:] = [version, time.monotonic()]


def read(key: str) -> tuple[str, Any]:
    """The data version and the value the shared cache holds at `key` for it, in one round trip:
    a value stored as (version, value) under another version is None."""
    found = cache.get_many([KEY, key])
    version = found.get(KEY)
    if version is None:
        version = current()
    else:
        remember(version)
    stored = found.get(key)
    return version, stored[1] if stored is not None and stored[0] == version else None


def bump() -> None:
    """Replace the data version now, on every app server sharing the cache."""
    # A random version, not a counter: a counter evicted from the cache could restart at a value
    # that old copies are still stored under.
    version = uuid.uuid4().hex
    cache.set(KEY, version, timeout=None)
    remember(version)
    replaced.send(sender=None)


def bump_after_commit(using: str | None = None) -> None:
    """Replace the data version once the current transaction commits (at once outside one).

    After commit: a copy made meanwhile from the old data must not be stored as current. Robust:
    the change is committed, so a failing bump is logged, never a 500.
    """
    aliases = getattr(_batched, "aliases", None)
    if aliases is not None:
        aliases.add(using or DEFAULT_DB_ALIAS)
        return
    transaction.on_commit(bump, using=using, robust=True)


@contextlib.contextmanager
def bumped_once():
    """Within it, the changes that would each queue a replacement (bump_after_commit) queue one,
    at its end: an import of thousands of rows replaces the version once, when it commits.

    Open it inside the changes' transaction: the replacement is queued in that transaction, so
    it runs after the last change commits (and not at all if it rolls back). Only the block's
    own changes are gathered: one made before or after it queues its own replacement, as a
    change always does, for that change may commit on its own. A block inside another is part
    of it.
    """
    if getattr(_batched, "aliases", None) is not None:
        yield
        return
    _batched.aliases = set()
    try:
        yield
    finally:
        aliases, _batched.aliases = _batched.aliases, None
        for using in aliases:
            bump_after_commit(using)


def stays_right_until(response: HttpResponse, moment: datetime.datetime) -> HttpResponse:
    """Mark a response the clock makes wrong at `moment` (an occurrence ends, a term starts): no
    cached copy of it is served from then on. Earlier marks win."""
    previous = getattr(response, "agora_right_until", None)
    response.agora_right_until = moment if previous is None else min(previous, moment)  # type: ignore[attr-defined]
    return response


def right_until(response: HttpResponse) -> datetime.datetime | None:
    """When the clock makes `response` wrong, if its view said (stays_right_until)."""
    return getattr(response, "agora_right_until", None)
