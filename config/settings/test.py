"""Tests: fast hashing, plain static storage, a fixed secret key."""

import os
from urllib.parse import urlsplit, urlunsplit

from .base import *  # noqa: F403

SECRET_KEY = "test-only-insecure-key"
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}  # noqa: F405
# Every feed request asks the cache for the data version: tests change data between requests.
AGORA_FEED_RECHECK_SECONDS = 0.0
# The version is replaced on commit, and most tests never commit: with the page cache on, a
# test would be shown the page it saw before its change. Its own tests turn it on
# (tests/test_page_cache.py).
AGORA_PAGE_CACHE = False
# GitHub sign-in goes to a stand-in on 127.0.0.1 inside the tests (tests/github_stand_in.py).
SOCIALACCOUNT_PROVIDERS["github"]["APPS"] = [  # noqa: F405
    {"client_id": "agora-test-client", "secret": "agora-test-secret"}
]
# Serve static files from the apps' folders, as in development: tests never run collectstatic.
WHITENOISE_AUTOREFRESH = True

# Under pytest-xdist each worker (gw0, gw1, ...) takes its own Redis database, counting down from
# REDIS_URL's: a test's cache.clear() flushes a whole database and must not empty another's cache.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if REDIS_URL and _WORKER.startswith("gw"):  # noqa: F405
    _url = urlsplit(REDIS_URL)  # noqa: F405
    _db = (int(_url.path.strip("/") or 0) - int(_WORKER[2:])) % 16
    REDIS_URL = urlunsplit(_url._replace(path=f"/{_db}"))
    CACHES["default"]["LOCATION"] = REDIS_URL  # noqa: F405
