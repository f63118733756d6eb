"""import_sigs brings in the meetings of groups and subprojects: created, kept, re-read, retired."""

import datetime
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from governance.importers.sigs_apply import sigs_import
from governance.importers.sigs_yaml import parse
from governance.models import Group
from meetings.importers.apply import schedule_confirm_first_date
from meetings.models import Meeting, Occurrence, Schedule
from meetings.recurrence import Frequency
from tests.factories import GroupFactory

DATA = Path(__file__).parent / "data"
# A Monday.
ON = datetime.date(2026, 3, 2)
NEXT_MONTH = datetime.date(2026, 4, 6)

pytestmark = pytest.mark.django_db


@pytest.fixture
def import_text(time_machine):
    """Import sigs.yaml text on a day (the clock is moved to that day)."""

    def run(text: str, on: datetime.date = ON):
        time_machine.move_to(datetime.datetime(on.year, on.month, on.day, 12), tick=False)
        return sigs_import(document=parse(text), on=on)

    return run


@pytest.fixture
def fixture_text() -> str:
    return (DATA / "sigs_meetings.yaml").read_text()


def schedule_of(slug: str) -> Schedule:
    return Schedule.objects.select_related("meeting").get(meeting__slug=slug)


def test_every_meeting_of_groups_and_subprojects_is_imported_with_its_text(
    import_text, fixture_text
):
    report = import_text(fixture_text)

    assert sorted(Meeting.objects.values_list("slug", flat=True)) == [
        "committee-steering-private-steering-committee-meeting",
        "committee-steering-public-steering-committee-meeting",
        "sig-network-gateway-api-gateway-api-meeting-americas",
        "sig-network-gateway-api-gateway-api-meeting-americas-2",
        "sig-network-network-office-hours",
        "sig-network-network-policy-api-meeting",
        "sig-network-sig-network-ingress-nginx-meeting",
        "sig-network-sig-network-meeting",
    ]
    assert {key: n for key, n in report.counts.items() if key[0].startswith("meetings")} == {
        ("meetings that need a date confirmed", "created"): 2,
        ("meetings it could not read", "created"): 1,
        ("meetings read fully", "created"): 5,
    }
    gateway = Meeting.objects.get(slug="sig-network-gateway-api-gateway-api-meeting-americas")
    assert (gateway.group.slug, gateway.subproject.name) == ("sig-network", "gateway-api")
    assert gateway.join_url == "https://zoom.us/j/441530404"


def test_a_meeting_read_fully_is_confirmed_and_in_the_feeds(import_text, fixture_text):
    import_text(fixture_text)

    steering = schedule_of("committee-steering-public-steering-committee-meeting")
    assert steering.describe() == ("First Wednesday of the month, 08:00-09:00 America/Los_Angeles")
    assert steering.first_date == datetime.date(2026, 3, 4)
    assert steering.source_text == (
        "day: first Wednesday\ntime: 8:00\ntz: PT (Pacific Time)\nfrequency: monthly"
    )
    policy = schedule_of("sig-network-network-policy-api-meeting")
    assert (policy.first_date, policy.interval) == (datetime.date(2024, 9, 10), 2)
    assert Schedule.objects.confirmed().count() == 5


def test_a_meeting_whose_phase_is_unknown_is_kept_out_of_the_feeds(import_text, fixture_text):
    report = import_text(fixture_text)

    network = schedule_of("sig-network-sig-network-meeting")
    assert (network.first_date, network.frequency, network.interval) == (None, "weekly", 2)
    assert network in Schedule.objects.unconfirmed()
    assert network.describe() == "Dates to be confirmed (weekly), 09:00-10:00 America/Los_Angeles"
    ingress = schedule_of("sig-network-sig-network-ingress-nginx-meeting")
    assert not ingress.is_confirmed
    assert ingress.describe() == (
        "Dates to be confirmed (monthly on a weekday), 08:00-09:00 America/Los_Angeles"
    )
    assert (
        "sigs[0] (sig-network).meetings[0] (SIG Network Meeting): dates to be confirmed: every 2 "
        "weeks, but no start date says which weeks (day: Thursday; time: 09:00; "
        "tz: PT (Pacific Time); frequency: biweekly); an admin confirms the first date "
        "(candidates: Thu 2026-03-05, Thu 2026-03-12)."
    ) in [str(problem) for problem in report.problems]


def test_a_meeting_it_cannot_read_is_imported_and_reported_with_its_text(import_text, fixture_text):
    report = import_text(fixture_text)

    hours = schedule_of("sig-network-network-office-hours")
    assert not hours.is_confirmed
    assert hours.source_text == "day: Wednesday\ntime: 2PM\ntz: CST\nfrequency: weekly"
    assert hours.meeting.kind == "office_hours"
    assert (
        "sigs[0] (sig-network).meetings[3] (Network Office Hours): could not be read: “CST” is "
        "not a time zone the importer knows (day: Wednesday; time: 2PM; tz: CST; "
        "frequency: weekly); shown with dates to be confirmed."
    ) in [str(problem) for problem in report.problems]


def test_links_that_are_not_links_are_reported_and_left_empty(import_text, fixture_text):
    report = import_text(fixture_text)

    network = Meeting.objects.get(slug="sig-network-sig-network-meeting")
    assert (network.join_url, network.recordings_url) == ("https://zoom.us/j/361123509", "")
    assert (
        "sigs[0] (sig-network).meetings[0] (SIG Network Meeting): recordings_url “TBD” is not a "
        "link; left empty."
    ) in [str(problem) for problem in report.problems]


def test_a_private_meeting_stays_private(import_text, fixture_text):
    import_text(fixture_text)
    public = Meeting.objects.filter(slug="committee-steering-public-steering-committee-meeting")
    public.update(is_private=True)

    import_text(fixture_text, on=NEXT_MONTH)

    assert Meeting.objects.get(slug__contains="-private-steering-").is_private
    assert public.get().is_private


def test_a_second_import_changes_nothing(import_text, fixture_text):
    import_text(fixture_text)
    before = list(Schedule.objects.values().order_by("pk"))
    meetings = list(Meeting.objects.values().order_by("pk"))

    report = import_text(fixture_text, on=NEXT_MONTH)

    assert report.changes == 0
    assert report.counts["meetings read fully", "unchanged"] == 5
    assert list(Schedule.objects.values().order_by("pk")) == before
    assert list(Meeting.objects.values().order_by("pk")) == meetings


def test_a_date_an_admin_confirmed_survives_the_next_import(import_text, fixture_text):
    import_text(fixture_text)
    schedule_confirm_first_date(
        schedule=schedule_of("sig-network-sig-network-meeting"),
        first_date=datetime.date(2026, 3, 12),
    )

    report = import_text(fixture_text, on=NEXT_MONTH)

    assert schedule_of("sig-network-sig-network-meeting").first_date == datetime.date(2026, 3, 12)
    assert report.counts["meetings whose date an admin confirmed", "unchanged"] == 1
    assert not [p for p in report.problems if "(SIG Network Meeting): dates to be" in str(p)]


def test_a_changed_text_is_read_again_and_raises_the_sequence(import_text, fixture_text):
    import_text(fixture_text)
    slug = "committee-steering-public-steering-committee-meeting"
    before = schedule_of(slug)

    changed = fixture_text.replace(
        'first Wednesday\n        time: "8:00"', 'first Wednesday\n        time: "9:00"'
    )
    report = import_text(changed, on=NEXT_MONTH)

    after = schedule_of(slug)
    assert (after.uid, after.first_date) == (before.uid, before.first_date)
    assert (after.start_time, after.sequence) == (datetime.time(9), before.sequence + 1)
    assert report.counts["meetings read fully", "updated"] == 1


def test_a_meeting_gone_from_the_file_is_removed_unless_something_is_stored_about_it(
    import_text, fixture_text
):
    import_text(fixture_text)
    public = schedule_of("committee-steering-public-steering-committee-meeting")
    Occurrence.objects.create(schedule=public, original_date=datetime.date(2026, 3, 4))
    hand_made = Meeting.objects.create(
        group=public.meeting.group, slug="steering-retreat", title="Retreat"
    )
    steering_meetings = fixture_text.index("    meetings:\n      - description: Private")

    report = import_text(fixture_text[:steering_meetings], on=NEXT_MONTH)

    assert not Meeting.objects.filter(slug__contains="private-steering").exists()
    assert schedule_of(public.meeting.slug).last_date == datetime.date(2026, 4, 5)
    assert Meeting.objects.filter(pk=hand_made.pk).exists()
    assert report.counts["meetings no longer in the file", "removed"] == 1
    assert report.counts["meetings no longer in the file", "ended"] == 1
    again = import_text(fixture_text[:steering_meetings], on=NEXT_MONTH)
    assert again.changes == 0


def test_a_meeting_made_by_hand_is_never_taken_over(import_text, fixture_text):
    network = GroupFactory(slug="sig-network", name="Network")
    Meeting.objects.create(group=network, slug="sig-network-sig-network-meeting", title="Mine")

    report = import_text(fixture_text)

    assert Meeting.objects.get(slug="sig-network-sig-network-meeting").title == "Mine"
    assert (
        "sigs[0] (sig-network).meetings[0] (SIG Network Meeting): The meeting "
        "sig-network-sig-network-meeting exists and was not imported for sig-network. Skipped."
    ) in [str(problem) for problem in report.problems]


@pytest.mark.parametrize(
    ("meetings", "problem"),
    [
        ("meetings: not a list", "sigs[0] (sig-network).meetings: not a list"),
        ("meetings:\n      - just text", "sigs[0] (sig-network).meetings[0]: not a mapping"),
    ],
)
def test_a_meetings_list_of_the_wrong_shape_is_reported(import_text, meetings, problem):
    text = f"sigs:\n  - dir: sig-network\n    name: Network\n    {meetings}\n"

    report = import_text(text)

    assert any(str(p).startswith(problem) for p in report.problems)
    assert Group.objects.filter(slug="sig-network").exists()
    assert not Meeting.objects.exists()


def schedule_fields(meeting: dict) -> tuple[str, ...]:
    return tuple(meeting[key] for key in ("day", "time", "tz", "frequency"))


def schedule_texts(document: dict) -> list[tuple]:
    """Every meeting of a sigs.yaml document: where it is, its title and its schedule's text."""
    rows = []
    for kind, groups in document.items():
        for group in groups if isinstance(groups, list) else ():
            lists = [("", group.get("meetings"))] + [
                (sub["name"], sub.get("meetings")) for sub in group.get("subprojects") or ()
            ]
            rows += [
                (kind, group["dir"], name, " ".join(m["description"].split()), *schedule_fields(m))
                for name, meetings in lists
                for m in meetings or ()
            ]
    return sorted(rows)


@pytest.mark.shared_data
def test_import_sigs_on_the_real_file_accounts_for_all_102_meetings(shared_data, time_machine):
    time_machine.move_to(datetime.datetime(2026, 3, 2, 12), tick=False)
    path = str(shared_data / "kubernetes-community" / "sigs.yaml")
    out = StringIO()

    call_command("import_sigs", path, stdout=out)
    schedules = list(Schedule.objects.values_list("pk", "sequence", "first_date", "source_text"))
    call_command("import_sigs", path, stdout=out)

    first, second = out.getvalue().split("Imported ")[1:]
    assert "  meetings read fully: 44 created\n" in first
    assert "  meetings that need a date confirmed: 58 created\n" in first
    assert "could not read" not in first
    assert Meeting.objects.count() == Schedule.objects.count() == 102
    assert Schedule.objects.confirmed().count() == 44
    assert first.count(": dates to be confirmed: ") == 58
    assert (
        "  sigs[9] (sig-docs).meetings[0] (APAC SIG Meeting): The rule FREQ=MONTHLY;BYDAY=WE;"
        "BYMONTHDAY=23,24,25,26,27,28,29 misses a Wednesday that falls in the next month, next on "
        "2034-03-01: add it as a one-off occurrence.\n"
    ) in first
    assert "  meetings read fully: 44 unchanged\n" in second
    assert "  No changes.\n" in second
    assert list(Schedule.objects.values_list("pk", "sequence", "first_date", "source_text")) == (
        schedules
    )
    assert Meeting.objects.filter(is_private=True).get().title == (
        "Private Steering Committee Meeting"
    )
    assert Schedule.objects.filter(frequency=Frequency.RRULE).get().first_date == (
        datetime.date(2026, 3, 25)
    )
    exported = StringIO()
    call_command("export_sigs", stdout=exported)
    # export_sigs gives every meeting back with the file's own text.
    original = schedule_texts(yaml.safe_load(Path(path).read_text()))
    assert len(original) == 102
    assert schedule_texts(yaml.safe_load(exported.getvalue())) == original


AGORA_MEETING = (DATA / "sigs_agora_meeting.yaml").read_text()


def test_the_agora_keys_give_a_meeting_its_slug_kind_fields_and_second_schedule(import_text):
    report = import_text(AGORA_MEETING)

    forum = Meeting.objects.get()
    assert (forum.slug, forum.kind, forum.description, forum.notes_url) == (
        "network-forum",
        "community_forum",
        "Everyone's meeting.",
        "https://docs.example.org/notes",
    )
    assert (forum.display_zones, forum.is_private) == (["Asia/Kolkata"], True)
    assert [schedule.describe() for schedule in forum.schedules.order_by("pk")] == [
        "First Monday of the month, 17:00-18:00 America/Los_Angeles",
        "Third Monday of the month, 08:00-08:45 Europe/Berlin",
    ]
    assert report.counts["meetings read fully", "created"] == 1
    assert not report.problems
    assert import_text(AGORA_MEETING, on=NEXT_MONTH).changes == 0


def test_a_time_gone_from_the_agora_schedules_ends_or_goes(import_text):
    import_text(AGORA_MEETING)
    second = Schedule.objects.order_by("pk").last()
    one_time = AGORA_MEETING[: AGORA_MEETING.index("          schedules:")]

    report = import_text(one_time, on=NEXT_MONTH)

    assert not Schedule.objects.filter(pk=second.pk).exists()
    assert Meeting.objects.get().schedules.count() == 1
    assert report.counts["meetings read fully", "updated"] == 1


@pytest.mark.parametrize(
    ("agora", "problem"),
    [
        ("kind: forum", "agora.kind: “forum” is not one of"),
        ("display_zones: [Mars/Olympus]", "agora.display_zones: Mars/Olympus is not an IANA"),
        ("notes_url: notes", "agora.notes_url: “notes” is not a link; ignored."),
        ("private: maybe", "agora.private: not true or false; ignored."),
        ("slug: Not A Slug", "agora.slug “Not A Slug” is not a slug"),
        ("colour: blue", "unknown key “agora.colour” ignored."),
        ("schedules: weekly", "agora.schedules: not a list of mappings; ignored."),
    ],
)
def test_a_bad_agora_value_is_reported_and_the_rest_read(import_text, agora, problem):
    text = AGORA_MEETING[: AGORA_MEETING.index("          slug:")] + f"          {agora}\n"

    report = import_text(text)

    assert any(problem in str(p) for p in report.problems), report.problems
    assert Meeting.objects.count() == 1


def community(size: int) -> str:
    """A sigs.yaml of `size` SIGs, each with a chair, a tech lead, channels, a subproject with
    its lead and channel, a meeting and a subproject meeting."""

    def meeting(title: str) -> dict:
        return {"description": title, "day": "Tuesday", "time": "09:00", "tz": "UTC"} | {
            "frequency": "weekly"
        }

    sigs = [
        {
            "dir": f"sig-{n}",
            "name": f"Group {n}",
            "mission_statement": f"Mission {n}.",
            "label": f"group-{n}",
            "leadership": {
                "chairs": [{"github": f"chair-{n}", "name": f"Chair {n}", "company": "Example"}],
                "tech_leads": [{"github": f"tech-{n}", "name": f"Tech {n}"}],
            },
            "contact": {"slack": f"sig-{n}", "mailing_list": f"https://example.org/g/sig-{n}"},
            "meetings": [meeting(f"Group {n} Meeting")],
            "subprojects": [
                {
                    "name": f"part-{n}",
                    "owners": [f"https://example.org/part-{n}/OWNERS"],
                    "leads": [{"github": f"part-lead-{n}"}],
                    "contact": {"slack": f"part-{n}"},
                    "meetings": [meeting(f"Part {n} Meeting")],
                }
            ],
        }
        for n in range(size)
    ]
    return yaml.safe_dump({"sigs": sigs})


def statements(run) -> int:
    with CaptureQueriesContext(connection) as queries:
        run()
    return len(queries)


def test_statements_do_not_grow_with_the_records(import_text):
    """A first import writes each model in a few statements; an unchanged one only reads."""
    first, again = {}, {}
    for size in (10, 20):
        Group.objects.all().delete()
        text = community(size)
        first[size] = statements(lambda: import_text(text))  # noqa: B023
        again[size] = statements(lambda: import_text(text))  # noqa: B023
        assert import_text(text).changes == 0

    assert again[10] == again[20]
    assert first[20] - first[10] < 10


def test_a_changed_meeting_is_saved_without_looking_up_its_group(import_text):
    """A stored meeting holds the group importing it: saving a change of it (here, a join link
    now given) looks no group up, whatever the number of meetings."""
    import_text(community(3))
    document = yaml.safe_load(community(3))
    records = [record for sig in document["sigs"] for record in (sig, *sig["subprojects"])]
    for number, record in enumerate(records):
        record["meetings"][0]["url"] = f"https://zoom.example.org/j/{number}"
    with CaptureQueriesContext(connection) as queries:
        report = import_text(yaml.safe_dump(document))
    assert report.changes == 6
    assert Meeting.objects.exclude(join_url="").count() == 6
    # (a foreign key's validation asks whether its row exists)
    lookup = 'SELECT 1 AS "a" FROM "governance_group"'
    assert not [query for query in queries if query["sql"].startswith(lookup)]
