"""A PostgreSQL outage: gunicorn answers 503 with Retry-After (feeds: their last copy), never 500.

The test runs a PostgreSQL cluster of its own (initdb into a temporary directory, on a free
port) and the whole app under gunicorn against it, then stops and restarts the cluster.
"""

import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from config.middleware import RETRY_AFTER_SECONDS
from tests.conftest import BASE_DIR, free_port

pytestmark = pytest.mark.service

SEED = """
import datetime
from tests.factories import GroupFactory
from tests.meetings.factories import MeetingFactory, ScheduleFactory
group = GroupFactory(slug="sig-node", name="SIG Node")
for slug in ("sig-node-weekly", "sig-node-triage"):
    meeting = MeetingFactory(group=group, slug=slug, title=slug)
    ScheduleFactory(meeting=meeting, first_date=datetime.date(2026, 10, 5))
"""


class PostgresCluster:
    """A throwaway PostgreSQL cluster owned by the postgres user, on a free port."""

    def __init__(self, root: Path):
        binaries = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
        if not binaries:
            pytest.skip("PostgreSQL server binaries not found under /usr/lib/postgresql")
        if os.geteuid() != 0 or not shutil.which("runuser"):
            pytest.skip("initdb needs to run as the postgres user (runuser, as root)")
        self.bin = Path(binaries[-1]).parent
        self.root = root
        self.port = free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/agora"
        shutil.chown(root, "postgres")
        self._as_postgres(
            "initdb",
            "-D",
            root / "data",
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--no-sync",
        )

    def _as_postgres(self, program: str, *args) -> None:
        subprocess.run(
            ["runuser", "-u", "postgres", "--", self.bin / program, *map(str, args)],
            check=True,
            capture_output=True,
            timeout=120,
        )

    def start(self) -> None:
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._as_postgres(
            "pg_ctl",
            "-D",
            self.root / "data",
            "-l",
            self.root / "log",
            "-o",
            options,
            "-w",
            "start",
        )

    def stop(self) -> None:
        self._as_postgres("pg_ctl", "-D", self.root / "data", "-m", "fast", "-w", "stop")


@dataclass
class Answer:
    status: int
    headers: dict
    body: bytes


class App:
    """gunicorn serving the whole app on a free port."""

    def __init__(self, environ: dict):
        self.port = free_port()
        self.process = subprocess.Popen(
            [
                Path(sys.executable).parent / "gunicorn",
                *("config.wsgi:application", "--bind", f"127.0.0.1:{self.port}"),
                # One worker: its in-process cache holds the feeds' last copies.
                *("--workers", "1", "--timeout", "30"),
            ],
            cwd=BASE_DIR,
            env=environ,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(200):
            try:
                self.get("/api/")
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("gunicorn did not start")

    def get(self, path: str) -> Answer:
        url = f"http://127.0.0.1:{self.port}{path}"
        try:
            with urllib.request.urlopen(url, timeout=20) as response:
                return Answer(response.status, dict(response.headers), response.read())
        except urllib.error.HTTPError as error:
            return Answer(error.code, dict(error.headers), error.read())

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=20)


@pytest.fixture(scope="module")
def cluster():
    root = Path(tempfile.mkdtemp(prefix="agora-pg-"))
    try:
        cluster = PostgresCluster(root)
        cluster.start()
        yield cluster
        cluster.stop()
    finally:
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def app(cluster):
    environ = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": cluster.url,
        "REDIS_URL": "",
        "PYTHONPATH": str(BASE_DIR),
    }
    subprocess.run(
        [
            "psql",
            "-h",
            "127.0.0.1",
            "-p",
            str(cluster.port),
            "-U",
            "postgres",
            "-qc",
            "CREATE DATABASE agora",
            "postgres",
        ],
        check=True,
        capture_output=True,
    )
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v0"], cwd=BASE_DIR, env=environ, check=True, timeout=300)
    subprocess.run(
        [*manage, "shell", "-c", SEED], cwd=BASE_DIR, env=environ, check=True, timeout=120
    )
    app = App(environ)
    yield app
    app.stop()


PAGES = ["/", "/groups/", "/groups/sig-node/", "/meetings/", "/meetings/sig-node-weekly/"]
API = ["/api/v1/groups/", "/api/v1/groups/sig-node/"]
FEED = "/groups/sig-node/calendar.ics"
UNPUBLISHED_FEED = "/meetings/sig-node-triage/calendar.ics"


def test_while_postgresql_is_down_the_site_answers_503_and_feeds_their_last_copy(app, cluster):
    assert {path: app.get(path).status for path in PAGES + API} == dict.fromkeys(PAGES + API, 200)
    published = app.get(FEED)
    assert published.status == 200

    cluster.stop()
    try:
        for path in PAGES + API + [UNPUBLISHED_FEED]:
            answer = app.get(path)
            assert (path, answer.status) == (path, 503)
            assert answer.headers["Retry-After"] == str(RETRY_AFTER_SECONDS)
            assert b"Traceback" not in answer.body
        page = app.get("/groups/sig-node/")
        assert b"Temporarily unavailable" in page.body
        assert "Content-Security-Policy" in page.headers
        assert json.loads(app.get("/api/v1/groups/").body) == {
            "detail": f"The database is unavailable; retry in {RETRY_AFTER_SECONDS} seconds."
        }
        feed = app.get(FEED)
        assert feed.status == 200
        assert feed.body == published.body
        assert feed.headers["ETag"] == published.headers["ETag"]
    finally:
        cluster.start()

    # Recovery by itself: the worker's broken connection is replaced on the next request.
    assert {path: app.get(path).status for path in PAGES + API} == dict.fromkeys(PAGES + API, 200)
    assert app.get(UNPUBLISHED_FEED).status == 200


def test_a_restart_under_load_gives_503s_and_no_500(app, cluster):
    statuses = Counter()
    done = threading.Event()

    def load():
        while not done.is_set():
            for path in [*PAGES, *API, FEED]:
                statuses[app.get(path).status] += 1

    worker = threading.Thread(target=load)
    worker.start()
    try:
        time.sleep(1)
        cluster.stop()
        time.sleep(2)
        cluster.start()
        time.sleep(1)
    finally:
        done.set()
        worker.join(timeout=60)
    print(f"\nstatuses during a PostgreSQL restart: {dict(statuses)}")
    assert set(statuses) <= {200, 503}, statuses
    assert statuses[503] > 0
    assert app.get("/groups/sig-node/").status == 200
