"""Far dates cost no more than near ones: rules start close to the dates asked for, and every
date a request names lies in the window."""

import datetime
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from meetings import recurrence
from meetings.models import Schedule
from meetings.recurrence import Frequency

CUSTOM_RULES = [
    "FREQ=DAILY",
    "FREQ=DAILY;INTERVAL=3;BYHOUR=9,17",
    "FREQ=WEEKLY;BYDAY=MO,WE,FR",
    "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;WKST=SU",
    "FREQ=MONTHLY;BYMONTHDAY=31",
    "FREQ=MONTHLY;INTERVAL=2;BYDAY=2TU,-1FR",
    "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
    "FREQ=YEARLY",
    "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29",
    "FREQ=YEARLY;INTERVAL=3;BYWEEKNO=20;BYDAY=MO",
]


def _schedule(first: datetime.date, kind: str, interval: int) -> Schedule:
    schedule = Schedule(
        time_zone="America/Los_Angeles",
        first_date=first,
        start_time=datetime.time(17, 30),
        duration_minutes=60,
        interval=interval,
    )
    if kind == "weekly":
        schedule.frequency = Frequency.WEEKLY
    elif kind == "monthly":
        schedule.frequency, schedule.week_of_month = Frequency.MONTHLY, -1 if interval > 2 else 2
        schedule.interval = interval
    else:
        schedule.frequency, schedule.rrule, schedule.interval = Frequency.RRULE, kind, 1
    return schedule


@settings(max_examples=150, deadline=None)
@given(
    first=st.dates(datetime.date(1990, 1, 1), datetime.date(2030, 12, 31)),
    kind=st.sampled_from(["weekly", "monthly", *CUSTOM_RULES]),
    interval=st.integers(1, 4),
    offset=st.integers(0, 40 * 366),
    span=st.integers(1, 120),
)
def test_a_rule_started_near_a_date_gives_the_same_occurrences(first, kind, interval, offset, span):
    schedule = _schedule(first, kind, interval)
    frm = datetime.datetime.combine(first, datetime.time.min) + datetime.timedelta(days=offset)
    to = frm + datetime.timedelta(days=span)
    full = recurrence.build_rrule(schedule)
    assert recurrence.rule_near(schedule, frm).between(frm, to, inc=True) == full.between(
        frm, to, inc=True
    )
    assert recurrence.previous_start(schedule, frm) == full.before(frm)


def test_a_date_far_from_the_first_costs_no_more_than_a_near_one():
    schedule = _schedule(datetime.date(1970, 1, 5), "FREQ=DAILY", 1)
    far = datetime.datetime(2200, 12, 1)
    began = time.perf_counter()
    slots = recurrence.rule_near(schedule, far).between(far, far + datetime.timedelta(days=31))
    assert len(slots) == 31
    assert time.perf_counter() - began < 0.05
