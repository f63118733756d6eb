"""Feeds built from what a reader chose: the list's filters, the calendar builder, alarms, and
one occurrence to download or add to Google Calendar or Outlook."""

import datetime
from urllib.parse import parse_qs, urlsplit

import icalendar
import pytest
import time_machine

from tests.factories import GroupFactory
from tests.meetings.factories import MeetingFactory, OccurrenceFactory, ScheduleFactory

pytestmark = pytest.mark.django_db
UTC = datetime.UTC


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(datetime.datetime(2026, 2, 1, 12, tzinfo=UTC), tick=False):
        yield


@pytest.fixture
def meetings():
    node = GroupFactory(slug="sig-node", name="SIG Node")
    apps = GroupFactory(slug="sig-apps", name="SIG Apps")
    made = {}
    for slug, group in (("node-weekly", node), ("node-triage", node), ("apps-weekly", apps)):
        made[slug] = MeetingFactory(slug=slug, title=slug.replace("-", " ").title(), group=group)
        ScheduleFactory(meeting=made[slug], first_date=datetime.date(2026, 2, 2))
    made["private"] = MeetingFactory(
        slug="private", title="Private", group=apps, is_private=True, join_url="https://z/secret"
    )
    ScheduleFactory(meeting=made["private"], first_date=datetime.date(2026, 2, 2))
    return made


def titles(response) -> set[str]:
    assert response.status_code == 200, response.content[:300]
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(event["SUMMARY"]) for event in calendar.walk("VEVENT")}


def test_the_feed_takes_groups_and_meetings_together(client, meetings):
    response = client.get("/calendar.ics", {"groups": "sig-node", "meetings": "apps-weekly"})

    assert titles(response) == {"Node Weekly", "Node Triage", "Apps Weekly"}
    name = icalendar.Calendar.from_ical(response.content)["X-WR-CALNAME"]
    assert str(name) == "Agora: SIG Node, Apps Weekly"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"meetings": "no-such"}, "Unknown meeting: no-such"),
        ({"meetings": ","}, "Name at least one meeting"),
        ({"alarm": "soon"}, "Give a whole number."),
        ({"alarm": "-5"}, "Give a number from 0 to 10080."),
    ],
)
def test_a_bad_choice_is_refused_naming_it(client, meetings, query, message):
    response = client.get("/calendar.ics", query)

    assert response.status_code == 400
    assert message in response.content.decode()


def test_alarms_are_asked_for_in_minutes_several_at_once(client, meetings):
    response = client.get("/meetings/node-weekly/calendar.ics?alarm=60&alarm=15&alarm=15")

    (event,) = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    triggers = [alarm["TRIGGER"].dt for alarm in event.walk("VALARM")]
    assert triggers == [datetime.timedelta(minutes=-15), datetime.timedelta(minutes=-60)]
    assert b"VALARM" not in client.get("/meetings/node-weekly/calendar.ics").content


def test_subscribe_links_offer_an_alarm(client, meetings):
    page = client.get("/meetings/node-weekly/").content.decode()
    assert 'href="webcal://testserver/meetings/node-weekly/calendar.ics?alarm=15"' in page
    listing = client.get("/meetings/", {"group": "sig-node"}).content.decode()
    assert 'href="webcal://testserver/calendar.ics?groups=sig-node&amp;alarm=15"' in listing


def test_the_lists_filters_give_the_feed_of_what_it_shows(client, meetings):
    listing = client.get("/meetings/", {"group": "sig-node", "kind": "group_meeting"})
    feed = "/calendar.ics?groups=sig-node&kind=group_meeting"
    assert f'href="http://testserver{feed}"' in listing.content.decode().replace("&amp;", "&")
    assert titles(client.get(feed)) == {"Node Weekly", "Node Triage"}
    # Its calendar builder offers the meetings it shows.
    builder = listing.context["builder"]
    assert {m.slug for m in builder.fields["meetings"].queryset} == {"node-weekly", "node-triage"}


def test_the_builder_gives_webcal_and_https_links(client, meetings):
    response = client.get(
        "/calendar/", {"groups": ["sig-apps"], "meetings": ["node-triage"], "alarm": ["15"]}
    )

    page = response.content.decode().replace("&amp;", "&")
    path = "/calendar.ics?groups=sig-apps&meetings=node-triage&alarm=15"
    assert f'href="webcal://testserver{path}"' in page
    assert f'value="http://testserver{path}"' in page
    assert titles(client.get(path)) == {"Apps Weekly", "Private", "Node Triage"}
    assert client.get("/calendar/").status_code == 200
    assert client.get("/calendar/", {"meetings": ["no-such"]}).status_code == 400


def test_an_occurrence_page_offers_its_event_to_download_and_add(client, meetings):
    page = client.get("/meetings/node-weekly/2026-02-09/")
    html = page.content.decode()
    assert 'href="/meetings/node-weekly/2026-02-09/event.ics"' in html
    links = {
        urlsplit(href).netloc: parse_qs(urlsplit(href).query)
        for href in (
            part.split('"')[0].replace("&amp;", "&")
            for part in html.split('href="')[1:]
            if part.startswith(("https://calendar.google.com", "https://outlook.live.com"))
        )
    }
    google, outlook = links["calendar.google.com"], links["outlook.live.com"]
    # Monday 9 February 2026, 17:00-18:00 in Los Angeles.
    assert google["dates"] == ["20260210T010000Z/20260210T020000Z"]
    assert google["text"] == ["Node Weekly"]
    assert google["location"] == [meetings["node-weekly"].join_url]
    assert (outlook["startdt"], outlook["enddt"]) == (
        ["2026-02-10T01:00:00Z"],
        ["2026-02-10T02:00:00Z"],
    )
    assert "http://testserver/meetings/node-weekly/2026-02-09/" in outlook["body"][0]

    response = client.get("/meetings/node-weekly/2026-02-09/event.ics")
    assert response["Content-Disposition"] == 'attachment; filename="node-weekly-2026-02-09.ics"'
    (event,) = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert event["DTSTART"].dt.astimezone(UTC) == datetime.datetime(2026, 2, 10, 1, tzinfo=UTC)
    assert "RECURRENCE-ID" not in event and "RRULE" not in event
    assert client.get("/meetings/node-weekly/2026-02-10/event.ics").status_code == 404


def test_a_private_occurrence_gives_no_join_link_to_strangers(client, meetings):
    html = client.get("/meetings/private/2026-02-09/").content.decode()
    ics = client.get("/meetings/private/2026-02-09/event.ics").content.decode()

    assert "Add to Google Calendar" in html
    assert "z/secret" not in html and "z%2Fsecret" not in html and "secret" not in ics


def test_a_cancelled_occurrence_downloads_as_cancelled(client, meetings):
    OccurrenceFactory(
        schedule=meetings["node-weekly"].schedules.get(),
        original_date=datetime.date(2026, 2, 9),
        status="cancelled",
        reason="Snow",
    )
    response = client.get("/meetings/node-weekly/2026-02-09/event.ics")

    (event,) = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["STATUS"]) == "CANCELLED"
    assert "Cancelled: Snow" in str(event["DESCRIPTION"])
    assert (
        "Add to Google Calendar"
        not in client.get("/meetings/node-weekly/2026-02-09/").content.decode()
    )
