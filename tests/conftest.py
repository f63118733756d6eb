"""Fixtures every test shares: factories, real community data, a real browser."""

import os
import shutil
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
CHROMIUM = Path(os.environ.get("AGORA_CHROMIUM", "/usr/bin/chromium"))
SHARED_DATA = Path(os.environ.get("AGORA_SHARED_DATA", BASE_DIR.parent / "shared" / "data"))
ARTIFACTS = BASE_DIR / "test-artifacts"

# Markers whose tests need something outside the repo. CI sets AGORA_REQUIRE_ALL=1 so that
# such a test skipped for want of it fails instead of passing silently.
NEEDS_ENVIRONMENT = {"browser", "shared_data", "interop", "service"}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if (
        report.skipped
        and os.environ.get("AGORA_REQUIRE_ALL") == "1"
        and NEEDS_ENVIRONMENT & {mark.name for mark in item.iter_markers()}
    ):
        report.outcome = "failed"
        report.longrepr = f"skipped, but AGORA_REQUIRE_ALL=1 requires it to run: {report.longrepr}"


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: what another test's data cached must not leak."""
    from django.core.cache import cache

    from meetings.feeds import _fragments_here

    cache.clear()
    _fragments_here.clear()


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """../shared/data, the real community data; absent in a user's clone."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real community data not found at {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture(scope="session")
def chromium_browser():
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    if not CHROMIUM.exists() and not shutil.which("chromium"):
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API keeps an event loop running in this thread for the rest of the
    # session, and Django refuses ORM calls (fixtures, later tests) under a running loop.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium_browser, live_server, settings):
    """A fresh browser page on the live test server; screenshots go to test-artifacts/."""
    context = chromium_browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}
    )
    browser_page = context.new_page()
    yield browser_page
    context.close()


@pytest.fixture
def screenshot_dir() -> Path:
    path = ARTIFACTS / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def base_settings(monkeypatch):
    """config.settings.base as a fresh module read under the given environment variables."""
    import importlib.util

    from config.settings import base

    def load(**environ: str):
        for name, value in environ.items():
            monkeypatch.setenv(name, value)
        spec = importlib.util.spec_from_file_location("agora_settings_under_test", base.__file__)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module

    return load


def free_port() -> int:
    """A TCP port nothing listens on right now, for a throwaway server."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def throttled(monkeypatch):
    """The API throttles of config.settings.base (tests run without), at 3 requests a minute."""
    from django.utils.module_loading import import_string
    from rest_framework.throttling import SimpleRateThrottle
    from rest_framework.views import APIView

    from config.settings import base

    classes = [import_string(path) for path in base.REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"]]
    monkeypatch.setattr(APIView, "throttle_classes", classes)
    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {"anon": "3/minute", "user": "3/minute"}
    )
