"""The demo community loaded once for a test module, as the modules that read it share it."""

import contextlib
import datetime
from io import StringIO

import time_machine
from django.core.management import call_command


@contextlib.contextmanager
def demo_loaded(django_db_blocker, *, now: datetime.datetime | None = None):
    """`load_demo` once (on `now`, when given), then flushed after the module's last test; each
    test's own writes roll back as usual. Use from a module-scoped fixture."""
    with django_db_blocker.unblock():
        travel = time_machine.travel(now, tick=False) if now else contextlib.nullcontext()
        with travel:
            call_command("load_demo", stdout=StringIO())
        yield
        call_command("flush", interactive=False, verbosity=0)
