"""The demo community's meetings: the seed's forums, group meetings around the world, records."""

import datetime
import re
from html import unescape
from io import StringIO

import pytest
from django.core.management import call_command

from governance.importers.sigs_apply import sigs_import
from governance.importers.sigs_yaml import parse
from meetings.models import AgendaItem, Meeting, Occurrence, OccurrenceStatus, Schedule
from meetings.recurrence import schedule_slots, slot_on
from meetings.zones import summary
from tests.demo import demo_loaded

UTC = datetime.UTC
# A Monday at noon UTC: the first Monday's forum is tonight, Pacific time.
NOW = datetime.datetime(2026, 3, 2, 12, tzinfo=UTC)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def now(time_machine):
    time_machine.move_to(NOW, tick=False)


def load_demo():
    call_command("load_demo", stdout=StringIO())


@pytest.fixture(scope="module")
def demo_community(django_db_setup, django_db_blocker):
    """The demo, loaded once for this module on NOW; each test's own writes roll back."""
    with demo_loaded(django_db_blocker, now=NOW):
        yield


def forum_schedules(slug: str) -> list[Schedule]:
    return list(Schedule.objects.filter(meeting__slug=slug).order_by("week_of_month"))


def test_the_community_meeting_forum_is_one_meeting_with_two_schedules(demo_community):

    forum = Meeting.objects.get(slug="community-meeting-forum")
    assert (forum.group.slug, forum.kind, forum.is_private) == (
        "committee-steering",
        "community_forum",
        False,
    )
    assert (forum.agenda_url, forum.recordings_url) == (
        "https://docs.example.org/d/community-meeting-agenda",
        "https://video.example.org/playlists/community-meeting-forum",
    )
    assert [schedule.describe() for schedule in forum_schedules(forum.slug)] == [
        "First Monday of the month, 17:00-18:00 America/Los_Angeles",
        "Third Monday of the month, 08:00-09:00 America/Los_Angeles",
    ]
    architecture = Meeting.objects.get(slug="community-architecture-forum")
    assert architecture.group.slug == "sig-architecture"
    assert [schedule.describe() for schedule in forum_schedules(architecture.slug)] == [
        "Second Monday of the month, 17:00-18:00 America/Los_Angeles",
        "Fourth Monday of the month, 08:00-09:00 America/Los_Angeles",
    ]


@pytest.mark.parametrize(
    ("day", "line"),
    [
        # The seed's "1-2 AM GMT / 8-9 AM (Tuesday) China" holds for neither half of the year.
        (
            datetime.date(2027, 1, 4),
            "5-6 PM PST / 8-9 PM EST / 1-2 AM UTC (Tuesday) / 1-2 AM GMT (Tuesday) / "
            "9-10 AM China (Tuesday)",
        ),
        (
            datetime.date(2026, 7, 6),
            "5-6 PM PDT / 8-9 PM EDT / 12-1 AM UTC (Tuesday) / 1-2 AM BST (Tuesday) / "
            "8-9 AM China (Tuesday)",
        ),
    ],
)
def test_the_forum_is_shown_in_every_zone_as_each_occurrence_falls(day, line, demo_community):
    first_monday = forum_schedules("community-meeting-forum")[0]

    slot = slot_on(first_monday, day)

    assert summary(slot.start, slot.end, first_monday.time_zone) == line


def test_the_next_occurrences_of_the_forums_and_sig_auth_have_agendas(demo_community):

    agendas = {
        (record.schedule.meeting.slug, record.original_date): [
            (item.title, item.presenter_display, item.minutes_allotted)
            for item in record.agenda_items.all()
        ]
        for record in Occurrence.objects.filter(agenda_items__isnull=False)
        .distinct()
        .select_related("schedule__meeting")
    }

    assert sorted(agendas) == [
        ("community-architecture-forum", datetime.date(2026, 3, 9)),
        ("community-architecture-forum", datetime.date(2026, 3, 23)),
        ("community-meeting-forum", datetime.date(2026, 3, 2)),
        ("community-meeting-forum", datetime.date(2026, 3, 16)),
        ("sig-auth-biweekly", datetime.date(2026, 3, 4)),
        ("steering-closed-session", datetime.date(2026, 3, 18)),
    ]
    assert agendas["community-meeting-forum", datetime.date(2026, 3, 2)][:2] == [
        ("Welcome and code of conduct reminder", "Amara Okafor", 5),
        ("Release update: the next minor release", "Elena Popescu", 10),
    ]
    assert agendas["community-meeting-forum", datetime.date(2026, 3, 2)][-1] == (
        "Open discussion",
        "Everyone",
        15,
    )


def test_kep_3299s_page_lists_the_sig_auth_agenda_item_linking_to_it(client, demo_community):

    html = client.get("/enhancements/3299/").content.decode()

    assert "KEP-3299 KMS v2 Improvements: feedback from the stable release" in html
    assert '<a href="/meetings/sig-auth-biweekly/2026-03-04/">' in html


def test_the_last_forum_has_minutes_and_a_recording(demo_community):

    record = Occurrence.objects.exclude(minutes="").get()

    assert record.original_date == datetime.date(2026, 2, 2)
    assert record.recording_url.endswith("/community-meeting-forum/2026-02-02")
    assert "## Decisions" in record.minutes


def test_one_coming_occurrence_is_cancelled_and_one_moved(demo_community):
    third_monday = forum_schedules("community-meeting-forum")[1]
    fourth_monday = forum_schedules("community-architecture-forum")[1]

    slots = {
        slot.original_date: slot
        for schedule in (third_monday, fourth_monday)
        for slot in schedule_slots(schedule, NOW, NOW + datetime.timedelta(days=60))
    }

    cancelled = slots[datetime.date(2026, 4, 27)]
    assert (cancelled.is_cancelled, cancelled.meeting.slug) == (True, fourth_monday.meeting.slug)
    assert cancelled.reason == "Most of the SIG is at the contributor summit that week."
    moved = slots[datetime.date(2026, 4, 20)]
    assert moved.is_moved
    # Tuesday 08:00 Pacific daylight time.
    assert moved.start == datetime.datetime(2026, 4, 21, 15, tzinfo=UTC)
    assert moved.reason == "Monday is a public holiday in the US."
    assert Occurrence.objects.filter(status=OccurrenceStatus.SCHEDULED).count() == 7


def test_the_cancellation_and_the_move_read_once_on_the_pages(client, demo_community):
    pages = [
        client.get("/meetings/", {"view": "month", "month": "2026-04"}),
        client.get("/meetings/", {"weeks": "8"}),
        client.get("/meetings/community-architecture-forum/2026-04-27/"),
        client.get("/meetings/community-meeting-forum/2026-04-21/"),
    ]
    text = " ".join(
        re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", "", page.content.decode())))
        for page in pages
    )

    assert "Cancelled: Most of the SIG is at the contributor summit that week." in text
    assert ": Monday is a public holiday in the US." in text
    assert "Cancelled: Cancelled" not in text and "Moved to Tuesday" not in text


def test_group_meetings_meet_in_several_home_zones_and_one_is_private(demo_community):

    assert {
        "America/Los_Angeles",
        "America/New_York",
        "Europe/Berlin",
        "Asia/Kolkata",
        "Australia/Sydney",
        "Asia/Shanghai",
        "UTC",
    } == set(Schedule.objects.values_list("time_zone", flat=True))
    # Committees, SIGs and working groups: nine groups have meetings.
    groups = set(Meeting.objects.values_list("group__slug", flat=True))
    assert len(groups) == 9 and {"committee-steering", "sig-windows", "wg-lts"} <= groups
    private = Meeting.objects.get(is_private=True)
    assert (private.title, private.group.slug) == (
        "Steering Committee Closed Session",
        "committee-steering",
    )
    office_hours = Meeting.objects.get(slug="api-review-office-hours")
    assert (office_hours.subproject.name, office_hours.kind) == ("api-reviews", "office_hours")


def test_a_meeting_imported_from_sigs_yaml_text_waits_for_its_first_date(demo_community):

    csi = Schedule.objects.get(meeting__slug="sig-auth-secrets-store-csi-meeting")

    assert not csi.is_confirmed
    assert csi.source_text.endswith("frequency: biweekly")
    assert Schedule.objects.unconfirmed().get() == csi


def test_loading_the_demo_again_changes_nothing(demo_community):
    tables = (Meeting, Schedule, Occurrence, AgendaItem)
    before = [list(model.objects.order_by("pk").values()) for model in tables]

    load_demo()

    assert [list(model.objects.order_by("pk").values()) for model in tables] == before


def test_a_later_day_leaves_the_demo_as_it_was(time_machine, demo_community):
    """`make run` on a later day keeps the records (and any edit of them) it finds."""
    before = list(Occurrence.objects.order_by("pk").values())
    time_machine.move_to(NOW + datetime.timedelta(days=7), tick=False)

    load_demo()

    assert list(Occurrence.objects.order_by("pk").values()) == before


@pytest.mark.shared_data
def test_importing_the_real_file_after_the_demo_retires_the_demo_meetings_it_does_not_list(
    shared_data, demo_community
):
    """The demo's meetings are imported ones: a file without them retires them as any other."""
    recorded = set(
        Meeting.objects.filter(schedules__occurrences__isnull=False).values_list("slug", flat=True)
    )

    # The real file ends the demo's roles: more than the removal limit, so it is asked for.
    report = sigs_import(
        document=parse((shared_data / "kubernetes-community" / "sigs.yaml").read_text()),
        allow_removals=True,
    )

    assert not [p for p in report.problems if "was not imported" in p.message]
    assert Meeting.objects.filter(slug="sig-auth-secrets-store-csi-meeting").count() == 1
    # Those with agendas, minutes or a cancellation are kept for them, their schedules ended.
    kept = Meeting.objects.filter(slug__in=recorded)
    assert set(kept.values_list("slug", flat=True)) == recorded
    assert not Schedule.objects.filter(meeting__in=kept, last_date__isnull=True).exists()
    assert not Meeting.objects.filter(slug="sig-windows-weekly").exists()
    # WG LTS is not in the real file: it is archived, and its meeting stays with it.
    assert Meeting.objects.get(slug="wg-lts-monthly").group.status == "archived"
    assert Meeting.objects.count() == 102 + len(recorded) + 1
