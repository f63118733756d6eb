"""Redis as a cache, not a dependency: while it is down or frozen, every read is a miss.

Pages, feeds and the API then answer from the database, the API throttle lets requests
through (it reads an empty history), and a cache write after a commit cannot fail the response.
"""

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# When each Redis location failed last, shared by the threads of a process.
_failed_at: dict[str, float] = {}


class DegradingRedisCache(RedisCache):
    """Django's Redis cache that logs a connection error or timeout and answers as a miss.

    After a failure the process leaves Redis alone for RETRY_SECONDS, so a frozen Redis costs
    each worker one socket timeout per interval, not one per cache call.
    """

    RETRY_SECONDS = 5.0

    def __init__(self, server, params):
        super().__init__(server, params)
        self._location = ",".join(self._servers)

    def _or(self, fallback, operation, *args):
        failed_at = _failed_at.get(self._location)
        if failed_at is not None and time.monotonic() - failed_at < self.RETRY_SECONDS:
            return fallback
        try:
            result = operation(*args)
        except RedisError as error:
            _failed_at[self._location] = time.monotonic()
            logger.warning(
                "Redis cache at %s unavailable (%s): answering from the database, retrying in %s s",
                self._location,
                error,
                self.RETRY_SECONDS,
            )
            return fallback
        if _failed_at.pop(self._location, None) is not None:
            logger.warning("Redis cache at %s is back", self._location)
        return result

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._or(False, super().add, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._or(default, super().get, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._or(None, super().set, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._or(False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._or(False, super().delete, key, version)

    def get_many(self, keys, version=None):
        return self._or({}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._or(False, super().has_key, key, version)

    def incr(self, key, delta=1, version=None):
        result = self._or(None, super().incr, key, delta, version)
        if result is None:
            # What Django's caches raise for a missing key: callers already handle it.
            raise ValueError(f"Key {key!r} not found (Redis unavailable)")
        return result

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._or(list(data), super().set_many, data, timeout, version)

    def delete_many(self, keys, version=None):
        self._or(None, super().delete_many, keys, version)

    def clear(self):
        return self._or(False, super().clear)
