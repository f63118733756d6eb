"""Speed and memory targets, reported as ratios measured in one run: `make bench`.

Each target compares two measurements taken here, on this machine, a moment apart, so the
ratios hold on a slow CI machine as on a fast laptop. Exits non-zero when a target is missed.

- list pages and endpoints: SQL queries with 4x the rows / with 1x the rows == 1
- list pages and endpoints: time with 4x the rows / with 1x the rows < 5 (linear, with a margin
  for a machine that is busy with something else)
- feeds: a cached answer / a fresh render < 0.25; a 304 / a fresh render < 0.25
- import_sigs on the real file: a second, unchanged import / the first < 1; peak memory < 150 MiB
"""

import operator
import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

CHECKS = {"=": operator.eq, "<": operator.lt}

SHARED_DATA = Path(os.environ.get("AGORA_SHARED_DATA", BASE_DIR.parent / "shared" / "data"))
LIST_URLS = [
    "/",
    "/groups/",
    "/people/",
    "/governance/",
    "/meetings/",
    "/meetings/?view=month",
    "/api/v1/people/",
    "/api/v1/groups/",
    "/api/v1/meetings/",
]
FEED_URL = "/calendar.ics"


def populate(units: int, offset: int = 0) -> None:
    """Add `units` groups, each with leads, a channel, a subproject and a weekly meeting."""
    import datetime

    from governance.models import Channel, Group, Person, Role, Subproject
    from meetings.models import Meeting, Occurrence, Schedule

    for index in range(offset, offset + units):
        group = Group.objects.create(slug=f"sig-{index}", name=f"SIG {index}", mission="Work.")
        for role, kind in enumerate(["chair", "chair", "tech_lead"]):
            person = Person.objects.create(
                handle=f"lead-{index}-{role}",
                name=f"Lead {index}.{role}",
                affiliation=f"Company {index % 7}",
                private_email=f"lead-{index}-{role}@private.example",
            )
            Role.objects.create(person=person, group=group, kind=kind)
        Channel.objects.create(group=group, kind="slack", name=f"sig-{index}")
        Subproject.objects.create(group=group, name=f"tool-{index}")
        meeting = Meeting.objects.create(
            group=group, slug=f"sig-{index}-weekly", title=f"SIG {index}"
        )
        schedule = Schedule.objects.create(
            meeting=meeting,
            time_zone=["America/Los_Angeles", "Europe/Berlin", "Asia/Kolkata"][index % 3],
            first_date=datetime.date(2026, 1, 5 + index % 5),
            start_time=datetime.time(9 + index % 8),
            frequency="weekly",
        )
        Occurrence.objects.create(
            schedule=schedule,
            original_date=schedule.first_date,
            status="cancelled",
            reason="Holiday",
        )


def timed(client: Client, url: str, repeat: int = 5, **headers) -> tuple[float, int, int]:
    """Median seconds, query count and status of GET `url`."""
    durations = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url, **headers)
            durations.append(time.perf_counter() - started)
    return statistics.median(durations), len(queries), response.status_code


def bench_list_pages(client: Client) -> list[tuple[str, float, str, float]]:
    populate(10)
    small = {url: timed(client, url) for url in LIST_URLS}
    populate(30, offset=10)
    large = {url: timed(client, url) for url in LIST_URLS}
    results = []
    for url in LIST_URLS:
        (t1, q1, s1), (t4, q4, s4) = small[url], large[url]
        assert s1 == s4 == 200, f"{url} answered {s1} and {s4}"
        results.append((f"queries {url} (4x rows / 1x)", q4 / q1, "=", 1.0))
        results.append((f"time    {url} (4x rows / 1x)", t4 / t1, "<", 5.0))
    return results


def bench_feed(client: Client) -> list[tuple[str, float, str, float]]:
    fresh = []
    for _ in range(5):
        cache.clear()
        started = time.perf_counter()
        response = client.get(FEED_URL)
        fresh.append(time.perf_counter() - started)
    cached, _, _ = timed(client, FEED_URL)
    not_modified, _, status = timed(client, FEED_URL, HTTP_IF_NONE_MATCH=response["ETag"])
    assert status == 304
    base = statistics.median(fresh)
    return [
        ("feed cached / fresh render", cached / base, "<", 0.25),
        ("feed 304 / fresh render", not_modified / base, "<", 0.25),
    ]


def bench_import() -> list[tuple[str, float, str, float]]:
    path = SHARED_DATA / "kubernetes-community" / "sigs.yaml"
    if not path.exists():
        print(f"(skipping import_sigs: {path} not found)")
        return []
    with open(os.devnull, "w") as quiet:
        tracemalloc.start()
        started = time.perf_counter()
        call_command("import_sigs", str(path), stdout=quiet)
        first = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        started = time.perf_counter()
        call_command("import_sigs", str(path), stdout=quiet)
        second = time.perf_counter() - started
    return [
        ("import_sigs unchanged / first", second / first, "<", 1.0),
        ("import_sigs peak memory (MiB)", peak, "<", 150.0),
    ]


def main() -> int:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        client = Client()
        results = bench_list_pages(client) + bench_feed(client) + bench_import()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    width = max(len(name) for name, *_ in results)
    missed = []
    for name, value, check, target in results:
        ok = CHECKS[check](value, target)
        missed += [] if ok else [name]
        print(
            f"{name:<{width}}  {value:8.3f}  target {check} {target:<6}  {'ok' if ok else 'MISSED'}"
        )
    print(f"{len(results) - len(missed)} met, {len(missed)} missed")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
