"""Settings of the servers `make bench` starts: production's stack on loopback, with the
baselines' URLs beside Agora's (benchmarks.urls) and no API throttle (one address sends all)."""

from config.settings.base import *  # noqa: F403

SECRET_KEY = "bench-only-insecure-key-" + "x" * 40
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "benchmarks.urls"
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}  # noqa: F405
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
