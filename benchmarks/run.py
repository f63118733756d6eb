"""Speed and memory targets of issue 12, each a ratio of two figures measured in one run.

`make bench` builds its own database (the demo plus a synthetic community: SQLite, or
PostgreSQL when DATABASE_URL names one, with Redis when REDIS_URL does), starts gunicorn with 2
sync workers serving Agora and the baselines (benchmarks.urls: constant bytes of the feed's
size, a JsonResponse of 100 rows, a bare DRF ListAPIView), nginx when it is installed, and
loads each with wrk (or, without wrk, a small in-process load generator). Agora's figure and
its baseline's are taken a moment apart, round after round, and the medians divided, so the
ratios hold on a busy machine as on an idle one. Then the community grows tenfold and the
pages whose output does not grow are measured again. Memory is peak RSS (VmHWM).

Environment: BENCH_SECONDS (each load run, default 3), BENCH_ROUNDS (default 3), BENCH_UNITS
(synthetic groups at 1x, default 40). Exits non-zero when a target is missed.
"""

from __future__ import annotations

import datetime
import gc
import operator
import os
import re
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
SECONDS = float(os.environ.get("BENCH_SECONDS", "3"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
UNITS = int(os.environ.get("BENCH_UNITS", "40"))
CONNECTIONS = 32
PARSES = 3  # parses timed in each import round, for each import
SHARED_DATA = Path(os.environ.get("AGORA_SHARED_DATA", BASE_DIR.parent / "shared" / "data"))
PYTHON = sys.executable
WORK = Path(tempfile.mkdtemp(prefix="agora-bench-"))
WORK.chmod(0o755)  # nginx workers read the files as another user

HTML_PAGES = ["/", "/groups/", "/people/", "/meetings/", "/projects/", "/enhancements/"]
API_LISTS = ["/api/v1/groups/", "/api/v1/meetings/", "/api/v1/proposals/", "/api/v1/people/"]
# Pages whose output does not grow with the community: their time at 10x / 1x.
FLAT = ["/", "/api/v1/occurrence-times/?start={start}&end={end}", *API_LISTS]
CHECKS = {">=": operator.ge, "<=": operator.le, "==": operator.eq}


def psql(statement: str) -> None:
    """Run a statement on the `postgres` database of DATABASE_URL's server."""
    admin = urlunsplit(urlsplit(os.environ["DATABASE_URL"])._replace(path="/postgres"))
    subprocess.run(["psql", admin, "-qc", statement], check=True)


def bench_database() -> str:
    """A fresh database of its own: `<name>_bench` beside DATABASE_URL's, or a SQLite file."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return f"sqlite:///{WORK / 'bench.sqlite3'}"
    parts = urlsplit(url)
    name = parts.path.strip("/") + "_bench"
    psql(f"DROP DATABASE IF EXISTS {name}")
    psql(f"CREATE DATABASE {name}")
    return urlunsplit(parts._replace(path=f"/{name}"))


os.environ["DATABASE_URL"] = bench_database()
os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"
os.environ["AGORA_BENCH_CONSTANT"] = str(WORK / "constant.bin")
os.environ["AGORA_FEEDS_ROOT"] = str(WORK / "feeds")
(WORK / "constant.bin").write_bytes(b"")
sys.path.insert(0, str(BASE_DIR))

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402


def manage(*args: str, quiet: bool = True) -> float:
    """Run manage.py in a child process: its peak RSS in MiB."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=BASE_DIR,
        check=True,
        stdout=subprocess.DEVNULL if quiet else None,
    )
    # ru_maxrss of children is the largest of any child so far: a later, smaller child hides.
    return max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024


# -- the community ---------------------------------------------------------------------------


def populate(units: int, offset: int = 0) -> None:
    """Add `units` groups, each with three leads, a channel, a subproject, a weekly meeting with
    a cancelled occurrence, and an enhancement proposal; in bulk, which sends no signals, so the
    data version is bumped after."""
    from django.db.models import Max

    from common.freshness import bump
    from governance.models import Channel, Group, Person, Role, Subproject
    from meetings.models import Meeting, Occurrence, Schedule
    from projects.models import Project, Proposal

    zones = ["America/Los_Angeles", "Europe/Berlin", "Asia/Kolkata", "America/New_York"]
    indexes = range(offset, offset + units)
    groups = Group.objects.bulk_create(
        Group(slug=f"sig-{i}", name=f"SIG {i}", mission=f"Work of SIG {i}.") for i in indexes
    )
    people = Person.objects.bulk_create(
        Person(
            handle=f"lead-{i}-{n}",
            name=f"Lead {i}.{n}",
            affiliation=f"Company {i % 7}",
            private_email=f"lead-{i}-{n}@private.example",
        )
        for i in indexes
        for n in range(3)
    )
    kinds = ["chair", "chair", "tech_lead"]
    Role.objects.bulk_create(
        Role(person=person, group=groups[n // 3], kind=kinds[n % 3])
        for n, person in enumerate(people)
    )
    Channel.objects.bulk_create(Channel(group=g, kind="slack", name=g.slug) for g in groups)
    Subproject.objects.bulk_create(Subproject(group=g, name=f"tool-{g.slug}") for g in groups)
    meetings = Meeting.objects.bulk_create(
        Meeting(group=g, slug=f"{g.slug}-weekly", title=g.name) for g in groups
    )
    schedules = Schedule.objects.bulk_create(
        Schedule(
            meeting=meeting,
            time_zone=zones[i % len(zones)],
            first_date=datetime.date(2026, 1, 5 + i % 5),
            start_time=datetime.time(8 + i % 9),
            frequency="weekly",
            interval=1 + i % 2,
        )
        for i, meeting in zip(indexes, meetings, strict=True)
    )
    Occurrence.objects.bulk_create(
        Occurrence(
            schedule=s,
            original_date=s.first_date + datetime.timedelta(weeks=2 * s.interval),
            status="cancelled",
            reason="Holiday",
        )
        for s in schedules
    )
    project = Project.objects.order_by("pk").first()
    if project is not None:
        top = Proposal.objects.aggregate(top=Max("number"))["top"] or 0
        Proposal.objects.bulk_create(
            Proposal(
                project=project,
                number=top + 1 + n,
                slug=f"{top + 1 + n}-work-of-{g.slug}",
                title=f"Work of {g.name}",
                owning_group=g,
            )
            for n, g in enumerate(groups)
        )
    bump()


# -- servers ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


class Gunicorn:
    """gunicorn with 2 sync workers on loopback, its log in a file."""

    def __init__(self) -> None:
        self.port = free_port()
        self.log = WORK / "gunicorn.log"
        self.process = subprocess.Popen(
            [
                str(Path(PYTHON).with_name("gunicorn")),
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "2",
                "--worker-class",
                "sync",
                "--env",
                "DJANGO_SETTINGS_MODULE=benchmarks.settings",
            ],
            cwd=BASE_DIR,
            stdout=subprocess.DEVNULL,
            stderr=self.log.open("wb"),
            env={**os.environ, "DJANGO_SETTINGS_MODULE": "benchmarks.settings"},
        )
        self.url = f"http://127.0.0.1:{self.port}"
        wait_for(self.url + "/bench/constant/")

    def workers(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def peak_rss(self) -> float:
        """The largest peak RSS of a worker, in MiB."""
        peaks = []
        for pid in self.workers():
            status = Path(f"/proc/{pid}/status").read_text()
            peaks.append(int(re.search(r"VmHWM:\s+(\d+)", status)[1]) / 1024)
        return max(peaks)

    def renders(self) -> int:
        return self.log.read_text().count("Rendered feed")

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


NGINX_CONF = """
worker_processes 2;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    types {{ text/calendar ics; }}
    client_body_temp_path {work}/nginx-body;
    proxy_temp_path {work}/nginx-proxy;
    fastcgi_temp_path {work}/nginx-fastcgi;
    uwsgi_temp_path {work}/nginx-uwsgi;
    scgi_temp_path {work}/nginx-scgi;
    upstream agora {{ server 127.0.0.1:{app}; }}
    server {{
        listen 127.0.0.1:{port};
        # The baseline: a plain file of the feed's bytes.
        location = /bench/file.ics {{ root {work}/plain; }}
{agora}
    }}
}}
"""


def readme_block(marker: str) -> str:
    """The lines of the README's production section from `marker` to the next blank line."""
    readme = (BASE_DIR / "README.md").read_text()
    block = readme.split(f"# {marker}\n", 1)[1].split("\n\n", 1)[0]
    return "\n".join(line.strip() for line in block.splitlines())


class Nginx:
    """nginx in front of gunicorn, as the README's production section configures it."""

    def __init__(self, app_port: int, feeds_root: Path, feed: bytes) -> None:
        self.port = free_port()
        (WORK / "plain" / "bench").mkdir(parents=True)
        (WORK / "plain" / "bench" / "file.ics").write_bytes(feed)
        agora = readme_block("nginx: published feeds").replace(
            "/var/lib/agora/feeds", str(feeds_root)
        )
        agora = agora.replace("include agora_proxy.conf", f"include {WORK}/agora_proxy.conf")
        (WORK / "agora_proxy.conf").write_text(readme_block("/etc/nginx/agora_proxy.conf"))
        conf = WORK / "nginx.conf"
        conf.write_text(NGINX_CONF.format(work=WORK, app=app_port, port=self.port, agora=agora))
        subprocess.run(["nginx", "-c", str(conf), "-p", str(WORK)], check=True)
        self.url = f"http://127.0.0.1:{self.port}"
        wait_for(self.url + "/bench/file.ics")

    def stop(self) -> None:
        pid = int((WORK / "nginx.pid").read_text())
        os.kill(pid, signal.SIGQUIT)


# -- load ------------------------------------------------------------------------------------


def _python_load(url: str, seconds: float, headers: dict) -> float:
    """Requests per second from CONNECTIONS keep-alive connections in threads (without wrk)."""
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    counts = [0] * 8
    values = {name: value() if callable(value) else value for name, value in headers.items()}
    deadline = time.monotonic() + seconds

    def worker(index: int) -> None:
        connection = HTTPConnection(parts.hostname, parts.port, timeout=30)
        while time.monotonic() < deadline:
            connection.request("GET", path, headers=values)
            connection.getresponse().read()
            counts[index] += 1

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(len(counts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts) / seconds


def load(url: str, seconds: float = SECONDS, **headers) -> float:
    """Requests per second that `url` answers under load (non-2xx/3xx answers fail the run)."""
    if not shutil.which("wrk"):
        return _python_load(url, seconds, headers)
    args = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{max(1, round(seconds))}s", "--timeout", "30s"]
    for name, value in headers.items():
        args += ["-H", f"{name}: {value() if callable(value) else value}"]
    out = subprocess.run([*args, url], check=True, capture_output=True, text=True).stdout
    # The workers still owe the requests wrk left queued: let them finish before the next run.
    urllib.request.urlopen(f"http://{urlsplit(url).netloc}/bench/constant/", timeout=600).read()
    if "Non-2xx or 3xx" in out:
        raise SystemExit(f"{url} answered errors under load:\n{out}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])


def measure(runs: dict[str, tuple[str, dict]]) -> dict[str, float]:
    """Median requests per second of each named run, the runs interleaved round after round."""
    figures: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(ROUNDS):
        for name, (url, headers) in runs.items():
            figures[name].append(load(url, **headers))
    medians = {name: statistics.median(values) for name, values in figures.items()}
    for name, value in medians.items():
        print(f"  {value:9.1f} requests/s  {name}", flush=True)
    return medians


# -- in-process figures ----------------------------------------------------------------------


def naive_feed() -> bytes:
    """The simplest correct-looking build: one VEVENT with RRULE per schedule, and icalendar's
    own VTIMEZONEs (add_missing_timezones)."""
    import icalendar

    from meetings import ical
    from meetings.feeds import feed_schedules

    calendar = icalendar.Calendar()
    calendar.add("prodid", ical.PRODID)
    calendar.add("version", "2.0")
    for schedule in feed_schedules():
        event = icalendar.Event()
        event.add("uid", f"{schedule.uid}@bench")
        event.add("summary", schedule.meeting.title)
        event.add("dtstamp", schedule.updated_at)
        event.add(
            "dtstart",
            datetime.datetime.combine(
                schedule.first_date, schedule.start_time, ical.ZoneInfo(schedule.time_zone)
            ),
        )
        event.add("duration", schedule.duration)
        rule = ical.recurrence_rule(schedule)
        if rule is not None:
            event.add("rrule", rule)
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def seconds(work: Callable[[], object]) -> float:
    """How long `work` takes, from a collected heap: a full collection that earlier steps (the
    demo's load, the previous run) made due is not charged to it; those its own allocations
    cause are."""
    gc.collect()
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def cold_feed_ratio() -> float:
    """A full render of /calendar.ics after a change / the naive build, medians of 5."""
    from common.freshness import bump

    client = Client(HTTP_HOST="127.0.0.1")
    # The process's zone data, as a running worker has it.
    assert client.get("/calendar.ics").status_code == 200
    ours, naive = [], []
    for _ in range(5):
        bump()
        ours.append(seconds(lambda: client.get("/calendar.ics")))
        naive.append(seconds(naive_feed))
    return statistics.median(ours) / statistics.median(naive)


def read_sigs(text: str) -> None:
    """What import_sigs reads from sigs.yaml before it writes: governance's parse, and the
    meetings reader's readings of each group's and subproject's meetings list (which the
    import makes as it applies the groups, through governance.signals.sigs_imported)."""
    from governance.importers.sigs_yaml import parse
    from meetings.importers.sigs_yaml import read_meetings_list

    today = timezone.localdate()
    for group in parse(text).groups:
        for record in (group, *group.subprojects):
            read_meetings_list(record.data, on=today)


class Snapshot:
    """The bench database as it is now, to go back to: a copy of the SQLite file, or a
    PostgreSQL database made from it as a template. Django's connections close first."""

    def __init__(self) -> None:
        from django.db import connection

        self.name = connection.settings_dict["NAME"]
        self.sqlite = connection.vendor == "sqlite"
        self.copy = f"{self.name}.snapshot" if self.sqlite else f"{self.name}_snapshot"
        self._copy(self.name, self.copy)

    def restore(self) -> None:
        if not self.sqlite:
            connections.close_all()
            psql(f"DROP DATABASE {self.name}")
        self._copy(self.copy, self.name)

    def drop(self) -> None:
        if self.sqlite:
            Path(self.copy).unlink()
        else:
            psql(f"DROP DATABASE {self.copy}")

    def _copy(self, source: str, target: str) -> None:
        connections.close_all()
        if self.sqlite:
            shutil.copy(source, target)
        else:
            psql(f"DROP DATABASE IF EXISTS {target}")
            psql(f"CREATE DATABASE {target} TEMPLATE {source}")


def import_figures() -> list[tuple[str, float, str, float]]:
    """import_sigs and import_keps against parsing alone (`read_sigs`, `read_keps`), and the
    import's peak RSS.

    Each import is a first one, into the database as the demo left it: the rounds (at least
    seven) start from a snapshot of it. In each, a file is parsed PARSES times, then imported
    a moment later, after a dry run of the same import, as an admin would preview it (so that
    a new connection's first statements, which read the database's catalogue, are not the
    import's). Each figure divides the median import by the median parse, as the served
    figures divide their medians: one timing of the same parse varies by half on this shared
    2-core machine from one moment to the next, so the baseline is taken more often than an
    import (which needs a restored database) can be. The imports are timed in this process, as
    the parses are; the peak RSS is that of a child process making the same import as a dry
    run (all the work, nothing written). The last round's imports stay: the rest of the run
    serves them."""
    sigs = SHARED_DATA / "kubernetes-community" / "sigs.yaml"
    keps = SHARED_DATA / "kubernetes-enhancements" / "keps"
    if not sigs.exists() or not keps.exists():
        print(f"(no import figures: {SHARED_DATA} lacks sigs.yaml or keps/)")
        return []
    from projects.importers.kep_apply import keps_import
    from projects.importers.kep_yaml import read_keps
    from projects.models import Project

    timings: dict[str, list[float]] = {"sigs": [], "parse sigs": [], "keps": [], "parse keps": []}

    def first_imports() -> None:
        """One round: each file parsed, then imported after its dry run."""
        command = ("import_sigs", str(sigs), "--allow-removals")
        with open(os.devnull, "w") as quiet:
            call_command(*command, "--dry-run", stdout=quiet)
            for _ in range(PARSES):
                timings["parse sigs"].append(
                    seconds(lambda: read_sigs(sigs.read_text(encoding="utf-8")))
                )
            timings["sigs"].append(seconds(lambda: call_command(*command, stdout=quiet)))
        kubernetes = Project.objects.get(slug="kubernetes")
        keps_import(project=kubernetes, directory=read_keps(keps), dry_run=True)
        for _ in range(PARSES):
            timings["parse keps"].append(seconds(lambda: read_keps(keps)))
        timings["keps"].append(
            seconds(lambda: keps_import(project=kubernetes, directory=read_keps(keps)))
        )

    rss = manage("import_sigs", str(sigs), "--allow-removals", "--dry-run")
    snapshot = Snapshot()
    try:
        for round_ in range(max(ROUNDS, 7)):
            if round_:
                snapshot.restore()
            first_imports()
    finally:
        snapshot.drop()

    def ratio(name: str) -> float:
        return statistics.median(timings[name]) / statistics.median(timings[f"parse {name}"])

    return [
        ("import_sigs / parsing sigs.yaml alone", ratio("sigs"), "<=", 3.0),
        ("import_keps / parsing the keps alone", ratio("keps"), "<=", 3.0),
        ("import peak RSS (MiB)", rss, "<=", 512.0),
    ]


# -- the run ---------------------------------------------------------------------------------


def occurrence_window() -> tuple[str, str]:
    today = timezone.now().date()
    return f"{today}T00:00:00Z", f"{today + datetime.timedelta(days=90)}T00:00:00Z"


def flat_urls() -> list[str]:
    start, end = occurrence_window()
    return [url.format(start=start, end=end) for url in FLAT]


def main() -> int:
    print(
        f"Agora benchmark: {os.environ['DATABASE_URL'].split(':')[0]}, cache "
        f"{'Redis' if os.environ.get('REDIS_URL') else 'per-process memory'}, "
        f"{'wrk' if shutil.which('wrk') else 'in-process load'}, "
        f"{'nginx' if shutil.which('nginx') else 'no nginx'}; load {os.getloadavg()[0]:.2f}"
    )
    manage("migrate", "--noinput")
    if os.environ.get("REDIS_URL"):
        cache.clear()
    with open(os.devnull, "w") as quiet:
        call_command("load_demo", stdout=quiet)
    results: list[tuple[str, float, str, float]] = import_figures()
    populate(UNITS)
    feeds_root = WORK / "feeds"
    feed = Client(HTTP_HOST="127.0.0.1").get("/calendar.ics")
    (WORK / "constant.bin").write_bytes(feed.content)
    results.append(("cold /calendar.ics / naive icalendar build", cold_feed_ratio(), "<=", 0.25))

    app = Gunicorn()
    proxy = None
    try:
        proxy = Nginx(app.port, feeds_root, feed.content) if shutil.which("nginx") else None
        results += serve_figures(app, proxy)
    finally:
        app.stop()
        if proxy:
            proxy.stop()
    return report(results)


def serve_figures(app: Gunicorn, proxy: Nginx | None) -> list[tuple[str, float, str, float]]:
    from common.freshness import bump

    results = []

    def etag() -> str:
        # Asked before each run: the feed changes as its "Next:" lines go out of date.
        return urllib.request.urlopen(app.url + "/calendar.ics").headers["ETag"]

    runs = {
        "constant": (app.url + "/bench/constant/", {}),
        "json": (app.url + "/bench/json/", {}),
        "drf": (app.url + "/bench/drf/", {}),
        "feed": (app.url + "/calendar.ics", {}),
        "feed 304": (app.url + "/calendar.ics", {"If-None-Match": etag}),
        **{url: (app.url + url, {}) for url in [*HTML_PAGES, *API_LISTS]},
        **{f"1x {url}": (app.url + url, {}) for url in flat_urls()},
    }
    if proxy:
        runs["nginx file"] = (proxy.url + "/bench/file.ics", {})
        runs["nginx feed"] = (proxy.url + "/calendar.ics", {})
    rps = measure(runs)
    results += [
        ("cached /calendar.ics / constant view", rps["feed"] / rps["constant"], ">=", 0.9),
        ("304 /calendar.ics / constant view", rps["feed 304"] / rps["constant"], ">=", 1.0),
    ]
    if proxy:
        ratio = rps["nginx feed"] / rps["nginx file"]
        results.append(("published /calendar.ics via nginx / nginx file", ratio, ">=", 0.9))
    for url in HTML_PAGES:
        results.append((f"{url} / JsonResponse of 100 rows", rps[url] / rps["json"], ">=", 0.5))
    for url in API_LISTS:
        results.append((f"{url} / bare DRF list", rps[url] / rps["drf"], ">=", 1.0))

    # One render per change, whatever the workers: a burst right after an invalidation. Only a
    # shared cache (Redis) carries the change from this process to the workers.
    if os.environ.get("REDIS_URL"):
        before = app.renders()
        bump()
        load(app.url + "/calendar.ics", seconds=1)
        # The render may still be under way when the burst ends: its log line comes after it.
        deadline = time.monotonic() + 30
        while app.renders() == before and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(2)
        renders = app.renders() - before
        results.append(("feed renders after one change, 2 workers", renders, "==", 1))

    populate(UNITS * 9, offset=UNITS)
    ten = measure({url: (app.url + url, {}) for url in flat_urls()})
    for url in flat_urls():
        name = url.split("?")[0]
        slower = rps[f"1x {url}"] / ten[url] if ten[url] else float("inf")
        results.append((f"time at 10x / 1x {name}", slower, "<=", 1.5))
    results.append(("gunicorn worker peak RSS (MiB)", app.peak_rss(), "<=", 512.0))
    return results


def report(results: list[tuple[str, float, str, float]]) -> int:
    width = max(len(name) for name, *_ in results)
    missed = 0
    for name, value, check, target in results:
        ok = CHECKS[check](value, target)
        missed += not ok
        verdict = "met" if ok else "MISSED"
        print(f"{name:<{width}}  {value:8.3f}  target {check} {target:<6}  {verdict}")
    print(f"{len(results) - missed} met, {missed} missed; load {os.getloadavg()[0]:.2f}")
    if not os.environ.get("BENCH_KEEP"):
        shutil.rmtree(WORK, ignore_errors=True)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
