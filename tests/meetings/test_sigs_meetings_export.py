"""export_sigs writes each group's and subproject's meetings back as sigs.yaml has them."""

import datetime
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command

from governance.importers.sigs_apply import sigs_import
from governance.importers.sigs_yaml import parse
from meetings.exporters.sigs_yaml import meeting_entries, schedule_text
from meetings.importers.apply import schedule_confirm_first_date
from meetings.importers.sigs_yaml import Reading, read_schedule
from meetings.models import Meeting, Schedule
from meetings.recurrence import Frequency

DATA = Path(__file__).parent / "data"
ON = datetime.date(2026, 3, 2)


def made_in_agora(**fields) -> Schedule:
    return Schedule(
        meeting=Meeting(title="Sync", slug="sync"),
        time_zone="Asia/Kolkata",
        start_time=datetime.time(14, 30),
        **fields,
    )


@pytest.mark.parametrize(
    ("fields", "frequency"),
    [
        (
            {"frequency": Frequency.WEEKLY, "first_date": datetime.date(2026, 3, 5)},
            "weekly starting Thursday March 5, 2026",
        ),
        (
            {"frequency": Frequency.WEEKLY, "interval": 2, "first_date": datetime.date(2025, 1, 9)},
            "biweekly starting Thursday January 9, 2025",
        ),
        (
            {"frequency": Frequency.WEEKLY, "interval": 3, "first_date": datetime.date(2026, 3, 5)},
            "every 3 weeks starting Thursday March 5, 2026",
        ),
        (
            {
                "frequency": Frequency.MONTHLY,
                "week_of_month": 2,
                "first_date": datetime.date(2026, 3, 10),
            },
            "monthly - second Tuesday",
        ),
        (
            {
                "frequency": Frequency.MONTHLY,
                "week_of_month": -1,
                "first_date": datetime.date(2026, 3, 25),
            },
            "monthly - last Wednesday",
        ),
        (
            {
                "frequency": Frequency.RRULE,
                "rrule": "FREQ=MONTHLY;BYDAY=1TU,3TU",
                "first_date": datetime.date(2026, 3, 3),
            },
            "RRULE:FREQ=MONTHLY;BYDAY=1TU,3TU starting Tuesday March 3, 2026",
        ),
    ],
)
def test_a_schedule_made_in_agora_is_written_in_words_the_importer_reads_back(fields, frequency):
    schedule = made_in_agora(**fields)

    text = schedule_text(schedule)

    assert text["frequency"] == frequency
    assert (text["time"], text["tz"]) == ("14:30", "Asia/Kolkata")
    reading = read_schedule(**text, on=schedule.first_date)
    assert reading.status == Reading.READ
    for name in ("frequency", "interval", "week_of_month", "rrule", "first_date", "start_time"):
        assert getattr(reading, name) == getattr(schedule, name)


@pytest.mark.parametrize(
    "fields",
    [
        {"frequency": Frequency.ONCE, "first_date": datetime.date(2026, 3, 5)},
        {"frequency": Frequency.WEEKLY},
    ],
)
def test_what_sigs_yaml_cannot_say_is_written_so_that_it_is_not_misread(fields):
    text = schedule_text(made_in_agora(**fields))

    assert read_schedule(**text, on=ON).status == Reading.UNREADABLE


@pytest.fixture
def imported(time_machine, db):
    time_machine.move_to(datetime.datetime(2026, 3, 2, 12), tick=False)
    sigs_import(document=parse((DATA / "sigs_meetings.yaml").read_text()), on=ON)


def entries(
    slug: str, *, include_private: bool = False, today: datetime.date = ON
) -> list[dict[str, str]]:
    schedules = Schedule.objects.filter(meeting__slug=slug).select_related(
        "meeting__group", "meeting__subproject"
    )
    return meeting_entries(schedules, include_private=include_private, today=today)


def test_an_imported_schedule_is_written_with_its_own_text(imported):
    assert entries("sig-network-sig-network-meeting") == [
        {
            "description": "SIG Network Meeting",
            "day": "Thursday",
            "time": "09:00",
            "tz": "PT (Pacific Time)",
            "frequency": "biweekly",
            "url": "https://zoom.us/j/361123509",
            "archive_url": "https://docs.google.com/document/d/"
            "1_w77-zG_Xj0zYvEMfQZTQ-wPP4kXkpGD8smVtW_qqWM/edit",
        }
    ]


def test_a_first_date_an_admin_confirmed_is_written_as_the_start(imported):
    schedule = Schedule.objects.get(meeting__slug="sig-network-sig-network-meeting")
    schedule_confirm_first_date(schedule=schedule, first_date=datetime.date(2026, 3, 12))

    [entry] = entries("sig-network-sig-network-meeting")

    assert (entry["day"], entry["time"], entry["tz"], entry["frequency"]) == (
        "Thursday",
        "09:00",
        "America/Los_Angeles",
        "biweekly starting Thursday March 12, 2026",
    )


def test_a_private_meeting_is_written_without_its_link_unless_asked(imported):
    slug = "committee-steering-private-steering-committee-meeting"

    assert "url" not in entries(slug)[0]
    assert entries(slug, include_private=True)[0]["url"] == (
        "https://git.k8s.io/community/committee-steering#meetings"
    )


def test_a_schedule_that_has_ended_is_not_written(imported):
    slug = "committee-steering-public-steering-committee-meeting"
    Schedule.objects.filter(meeting__slug=slug).update(last_date=datetime.date(2026, 3, 4))

    assert len(entries(slug, today=datetime.date(2026, 3, 4))) == 1
    assert entries(slug, today=datetime.date(2026, 3, 5)) == []


def test_export_sigs_writes_the_meetings_of_groups_and_subprojects(imported):
    out = StringIO()

    call_command("export_sigs", stdout=out)

    document = yaml.safe_load(out.getvalue())
    [network] = document["sigs"]
    assert [m["description"] for m in network["meetings"]] == [
        "SIG Network Meeting",
        "SIG Network Ingress NGINX Meeting",
        "Network Policy API Meeting",
        "Network Office Hours",
    ]
    [gateway] = [s for s in network["subprojects"] if s["name"] == "gateway-api"]
    assert [m["tz"] for m in gateway["meetings"]] == [
        "PT (Pacific Time)",
        "CET (Central European Time)",
    ]
    [steering] = document["committees"]
    assert [m.get("url", "") for m in steering["meetings"]] == ["", "https://zoom.us/j/770495087"]


def test_export_sigs_reads_meetings_with_one_query_per_list(imported, django_assert_num_queries):
    # Governance's 8, plus one per group (2) and one per subproject (1).
    with django_assert_num_queries(11):
        call_command("export_sigs", stdout=StringIO())


def test_what_sigs_yaml_cannot_say_is_written_in_the_agora_keys_and_read_back(time_machine, db):
    time_machine.move_to(datetime.datetime(2026, 3, 2, 12), tick=False)
    sigs_import(document=parse((DATA / "sigs_agora_meeting.yaml").read_text()), on=ON)
    before = list(Meeting.objects.values()), list(Schedule.objects.values())

    [entry] = entries("network-forum", include_private=True)

    assert entry["agora"] == {
        "slug": "network-forum",
        "kind": "community_forum",
        "about": "Everyone's meeting.",
        "notes_url": "https://docs.example.org/notes",
        "display_zones": ["Asia/Kolkata"],
        "private": True,
        "schedules": [
            {
                "day": "Monday",
                "time": "08:00-08:45",
                "tz": "Europe/Berlin",
                "frequency": "monthly - third Monday (starting Monday January 19, 2026)",
            }
        ],
    }
    assert "notes_url" not in entries("network-forum")[0]["agora"]
    out = StringIO()
    call_command("export_sigs", "--include-private", stdout=out)
    assert sigs_import(document=parse(out.getvalue()), on=ON).changes == 0
    assert (list(Meeting.objects.values()), list(Schedule.objects.values())) == before
