"""Meeting pages as a reader, a lead and staff see them."""

import datetime
import re
from html import unescape

import icalendar
import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string

from meetings import selectors, services
from meetings.models import Occurrence
from tests.factories import PersonFactory, RoleFactory
from tests.meetings.factories import (
    AgendaItemFactory,
    MeetingFactory,
    ScheduleFactory,
    private_meeting_with_records,
)

OCT_26 = datetime.date(2026, 10, 26)  # Monday after Europe's change, before the US's.
NOV_2 = datetime.date(2026, 11, 2)  # Monday after the US's change.
LINES_OCT_26 = (
    "5-6 PM PDT / 8-9 PM EDT / 12-1 AM UTC (Tuesday) / 12-1 AM GMT (Tuesday) / "
    "8-9 AM China (Tuesday)"
)
LINES_NOV_2 = (
    "5-6 PM PST / 8-9 PM EST / 1-2 AM UTC (Tuesday) / 1-2 AM GMT (Tuesday) / "
    "9-10 AM China (Tuesday)"
)

pytestmark = pytest.mark.django_db


def text(response) -> str:
    """The page's text as a reader sees it: no tags, single spaces."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    # Spans are inline: "<span>5-6 PM PST</span>: why" reads "5-6 PM PST: why".
    html = re.sub(r"</?span\b[^>]*>", "", html)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).replace(" / ", " / ")


def squeeze(value: str) -> str:
    return re.sub(r"\s+", " ", value)


def cancel(schedule, day, reason="KubeCon week: most of us travel"):
    return services.occurrence_cancel(schedule=schedule, original_date=day, reason=reason)


def move_to_tuesday(schedule, day=NOV_2):
    """Monday's 17:00 Pacific occurrence moved to Tuesday at the same time."""
    return services.occurrence_move(
        schedule=schedule,
        original_date=day,
        start=datetime.datetime.combine(day, datetime.time(1), datetime.UTC)
        + datetime.timedelta(days=2),
        reason="Monday is a holiday",
    )


class TestMeetingList:
    def test_days_with_each_zone_computed_for_that_occurrence(self, client, frozen, meeting):
        response = client.get("/meetings/")
        assert response.status_code == 200
        page = text(response)
        assert "Monday 26 October" in page and "Monday 2 November" in page
        assert LINES_OCT_26 in page
        assert LINES_NOV_2 in page
        html = response.content.decode()
        assert '<time class="zone-lines" datetime="2026-10-27T00:00:00Z"' in html
        assert 'data-end="2026-11-03T02:00:00Z"' in html

    def test_cancelled_struck_through_with_reason(self, client, frozen, schedule):
        cancel(schedule, NOV_2)
        html = squeeze(client.get("/meetings/").content.decode())
        cancelled = html[html.index('datetime="2026-11-03T01:00:00Z"') - 200 :]
        assert re.search(r'<del><time class="zone-lines" datetime="2026-11-03T01:00:00Z">', html)
        assert "Cancelled: KubeCon week: most of us travel" in cancelled

    def test_filter_by_group_and_kind(self, client, frozen, meeting):
        other = MeetingFactory(title="Community meeting", kind="community_forum")
        ScheduleFactory(meeting=other, first_date=datetime.date(2026, 10, 6))
        by_group = text(client.get("/meetings/", {"group": "sig-node"}))
        assert "SIG Node weekly" in by_group and "Community meeting" not in by_group
        by_kind = text(client.get("/meetings/", {"kind": "community_forum"}))
        assert "Community meeting" in by_kind and "SIG Node weekly" not in by_kind

    def test_unknown_group_is_a_400_naming_the_field(self, client, frozen, meeting):
        response = client.get("/meetings/", {"group": "sig-nope"})
        assert response.status_code == 400
        assert "Group: Select a valid choice" in text(response)

    def test_weeks_ahead(self, client, frozen, meeting):
        assert "Monday 16 November" not in text(client.get("/meetings/"))
        assert "Monday 16 November" in text(client.get("/meetings/", {"weeks": "4"}))

    def test_the_list_is_a_window_of_weeks_with_later_and_earlier_links(
        self, client, frozen, meeting
    ):
        first = client.get("/meetings/", {"group": "sig-node"})
        later = re.search(r'href="/meetings/\?([^"]+)" rel="next"', first.content.decode())[1]
        assert 'rel="prev"' not in first.content.decode()
        page = client.get(f"/meetings/?{unescape(later)}")
        shown = text(page)
        assert "Monday 9 November" in shown and "Monday 16 November" in shown
        assert "Monday 2 November" not in shown and "Monday 23 November" not in shown
        assert "SIG Node weekly" in shown and "the 2 weeks from 3 November" in shown
        assert 'href="/meetings/?group=sig-node" rel="prev"' in page.content.decode()

    def test_dates_to_be_confirmed_are_in_no_list(self, client, frozen, meeting):
        ScheduleFactory(
            meeting=MeetingFactory(title="Unscheduled sync"),
            first_date=None,
            start_time=None,
            source_text="Every other Thursday, time TBD",
        )
        assert "Unscheduled sync" not in text(client.get("/meetings/"))

    def test_month_view(self, client, frozen, schedule):
        cancel(schedule, datetime.date(2026, 11, 16))
        response = client.get("/meetings/", {"view": "month", "month": "2026-11"})
        assert response.status_code == 200
        page = text(response)
        assert "Meetings in November 2026" in page
        assert page.count("SIG Node weekly") == 5 + 1  # five Mondays and Monday 26 October
        assert "Cancelled: KubeCon week" in page
        html = response.content.decode()
        assert "/meetings/sig-node-weekly/2026-11-30/" in html
        assert "month=2026-12" in html and "month=2026-10" in html

    def test_month_view_bad_month(self, client, frozen, meeting):
        response = client.get("/meetings/", {"view": "month", "month": "2026-13"})
        assert response.status_code == 400
        assert "Give the month as YYYY-MM" in text(response)

    @pytest.mark.parametrize("count", [2, 6])
    def test_query_count_does_not_grow_with_meetings(
        self, client, frozen, django_assert_num_queries, count
    ):
        for _ in range(count):
            schedule = ScheduleFactory(first_date=datetime.date(2026, 10, 5))
            cancel(schedule, OCT_26)
        # Groups for the filter, schedules with meetings and groups, occurrence records; the
        # calendar builder's groups and meetings.
        with django_assert_num_queries(5):
            assert client.get("/meetings/").status_code == 200
        with django_assert_num_queries(3):
            assert client.get("/meetings/", {"view": "month"}).status_code == 200

    def test_days_and_each_lines_first_time_are_in_the_zone_the_page_names(
        self, client, frozen, meeting
    ):
        page = text(client.get("/meetings/"))
        assert "by day in America/Los_Angeles time" in page
        assert "Monday 26 October" in page and LINES_OCT_26 in page

        page = text(client.get("/meetings/", {"zone": "UTC", "weeks": "4"}))
        assert "by day in UTC time. Each line starts with the time in UTC" in page
        # 17:00 on Monday in Los Angeles is Tuesday 00:00 in UTC: under Tuesday, UTC first.
        assert "Monday 26 October" not in page
        tuesday = page[page.index("Tuesday 27 October") : page.index("Tuesday 3 November")]
        assert "12-1 AM UTC / 5-6 PM PDT (Monday) / 8-9 PM EDT (Monday) / 12-1 AM GMT / " in tuesday
        assert "1-2 AM UTC / 5-6 PM PST (Monday) / 8-9 PM EST (Monday) / 1-2 AM GMT / " in page

    def test_a_zone_that_is_not_one_is_a_400_naming_the_field(self, client, frozen, meeting):
        response = client.get("/meetings/", {"zone": "Mars/Olympus_Mons"})
        assert response.status_code == 400
        assert "Days in: Select a valid choice" in text(response)

    def test_month_days_and_today_are_those_of_the_chosen_zone(self, client, frozen, meeting):
        today = re.compile(
            r'<td class="[^"]*today[^"]*">\s*<div class="day-number"><time datetime="([\d-]+)"'
        )
        pacific = client.get("/meetings/", {"view": "month"}).content.decode()
        assert today.findall(pacific) == ["2026-10-20"]
        # Tuesday noon UTC is already Wednesday on Kiritimati (UTC+14).
        response = client.get("/meetings/", {"view": "month", "zone": "Pacific/Kiritimati"})
        assert "at their time in Pacific/Kiritimati time, where today is Wednesday 21 October" in (
            text(response)
        )
        html = response.content.decode()
        assert today.findall(html) == ["2026-10-21"]
        # Monday 17:00 in Los Angeles is Tuesday 14:00 there, on Tuesday's cell.
        tuesday = html[html.index('datetime="2026-10-27"') : html.index('datetime="2026-10-28"')]
        assert "2:00 PM" in tuesday and "SIG Node weekly" in tuesday
        assert "zone=Pacific%2FKiritimati" in html  # Kept by the month links.

    @pytest.mark.parametrize("view", ["list", "month"])
    def test_subscribe_gives_the_feed_of_exactly_what_is_shown(self, client, frozen, meeting, view):
        forum = MeetingFactory(group=meeting.group, title="Node forum", kind="community_forum")
        ScheduleFactory(meeting=forum, first_date=datetime.date(2026, 10, 6))
        ScheduleFactory(meeting=MeetingFactory(title="Other group's meeting"))
        cases = [
            ({}, "/calendar.ics", {"SIG Node weekly", "Node forum", "Other group's meeting"}),
            (
                {"group": "sig-node"},
                "/calendar.ics?groups=sig-node",
                {"SIG Node weekly", "Node forum"},
            ),
            ({"kind": "community_forum"}, "/calendar.ics?kind=community_forum", {"Node forum"}),
            (
                {"group": "sig-node", "kind": "group_meeting"},
                "/calendar.ics?groups=sig-node&kind=group_meeting",
                {"SIG Node weekly"},
            ),
        ]
        # The list shows these meetings, the feed its links give has exactly them.
        for query, feed, titles in cases:
            html = client.get("/meetings/", {**query, "view": view}).content.decode()
            assert f'href="webcal://testserver{feed.replace("&", "&amp;")}"' in html
            assert f'href="http://testserver{feed.replace("&", "&amp;")}"' in html
            events = icalendar.Calendar.from_ical(client.get(feed).content).walk("VEVENT")
            assert {str(event["SUMMARY"]) for event in events} == titles

    def test_time_ranges_are_kept_whole(self, client, frozen, meeting):
        html = client.get("/meetings/").content.decode()
        assert '<span class="time-range">5-6 PM PDT</span>' in html
        # Only the weekday may go to the next line.
        assert '<span class="time-range">12-1 AM UTC</span> (Tuesday)' in html


class TestMeetingDetail:
    def test_schedules_next_occurrences_and_subscribe_links(self, client, frozen, meeting):
        ScheduleFactory(
            meeting=meeting, first_date=None, start_time=None, source_text="Thursdays, TBD"
        )
        response = client.get("/meetings/sig-node-weekly/")
        page = text(response)
        assert "Every Monday, 17:00-18:00 America/Los_Angeles" in page
        assert "Dates to be confirmed Thursdays, TBD" in page
        assert LINES_OCT_26 in page and LINES_NOV_2 in page
        html = response.content.decode()
        assert 'href="webcal://testserver/meetings/sig-node-weekly/calendar.ics"' in html
        assert 'href="http://testserver/meetings/sig-node-weekly/calendar.ics"' in html
        assert 'href="https://zoom.example.org/j/' in html

    def test_past_occurrences_with_minutes_and_recordings(self, client, frozen, schedule):
        services.agenda_save(
            schedule=schedule,
            original_date=datetime.date(2026, 10, 12),
            items=[],
            minutes="Done.",
            recording_url="https://video.example.org/12",
            expected_version=services.UNSAVED_VERSION,
        )
        response = client.get("/meetings/sig-node-weekly/")
        past = response.content.decode().split('id="past"')[1]
        assert "Mon 12 Oct 2026" in past and "Mon 5 Oct 2026" in past
        assert 'href="https://video.example.org/12"' in past

    def test_private_meeting_shows_its_time_but_not_its_links(self, client, frozen):
        meeting = private_meeting_with_records()
        response = client.get(meeting.get_absolute_url())
        html = response.content.decode()
        assert LINES_NOV_2 in text(response)
        assert "zoom.example.org/j/secret" not in html
        assert "secret-agenda" not in html
        assert "video.example.org/secret" not in html
        assert "its join link, agenda and minutes are not" in text(response)

    def test_unknown_meeting_is_404(self, client, frozen):
        assert client.get("/meetings/nope/").status_code == 404


class TestOccurrencePage:
    def test_time_lines_agenda_minutes_and_recording(self, client, frozen, schedule):
        presenter = PersonFactory(handle="jane", name="Jane Doe")
        record = services.agenda_save(
            schedule=schedule,
            original_date=NOV_2,
            items=[{"title": "Swap KEP", "presenter": presenter, "minutes_allotted": 15}],
            minutes="## Decisions\n\n* Ship **beta**<script>alert('x')</script>\n"
            '* <a href="#" onclick="steal()">details</a>',
            recording_url="https://video.example.org/nov-2",
            expected_version=services.UNSAVED_VERSION,
        )
        response = client.get("/meetings/sig-node-weekly/2026-11-02/")
        assert response.status_code == 200
        page = text(response)
        assert LINES_NOV_2 in page
        assert "Swap KEP — Jane Doe 15 min" in page
        html = response.content.decode()
        assert "<h2>Decisions</h2>" in html and "<strong>beta</strong>" in html
        assert "<script>alert" not in html and "alert('x')" not in html
        assert "onclick" not in html
        assert 'href="https://video.example.org/nov-2"' in html
        assert record.schedule_id == schedule.pk

    def test_each_zone_with_its_own_date(self, client, frozen, meeting):
        page = text(client.get("/meetings/sig-node-weekly/2026-10-26/"))
        assert "America/Los_Angeles (home) Mon 26 Oct 5-6 PM PDT" in page
        assert "Asia/Shanghai Tue 27 Oct 8-9 AM China (Tuesday)" in page

    def test_date_the_schedule_does_not_give_is_404_naming_nearby_dates(
        self, client, frozen, meeting
    ):
        response = client.get("/meetings/sig-node-weekly/2026-10-27/")
        assert response.status_code == 404
        page = text(response)
        assert "does not meet on Tuesday 27 October 2026" in page
        assert "Mon 26 Oct 2026" in page and "Mon 2 Nov 2026" in page

    def test_impossible_date_is_404(self, client, frozen, meeting):
        assert client.get("/meetings/sig-node-weekly/2026-02-30/").status_code == 404

    def test_cancelled(self, client, frozen, schedule):
        cancel(schedule, NOV_2, reason="Election day")
        response = client.get("/meetings/sig-node-weekly/2026-11-02/")
        assert "Cancelled Election day" in text(response)
        assert '<del><time class="zone-lines"' in response.content.decode()
        assert "Join the meeting" not in text(response)

    def test_moved_shows_old_and_new_time(self, client, frozen, schedule):
        services.occurrence_move(
            schedule=schedule,
            original_date=NOV_2,
            start=datetime.datetime(2026, 11, 3, 3, 0, tzinfo=datetime.UTC),
            reason="Clashes with the release",
        )
        page = text(client.get("/meetings/sig-node-weekly/2026-11-02/"))
        assert (
            "Moved from Monday 2 November, 5-6 PM PST to Monday 2 November, 7-8 PM PST: "
            "Clashes with the release"
        ) in page
        assert "7-8 PM PST / 10-11 PM EST / 3-4 AM UTC (Tuesday)" in page

    def test_moved_to_another_day_is_listed_under_that_day(self, client, frozen, schedule):
        services.occurrence_move(
            schedule=schedule,
            original_date=NOV_2,
            start=datetime.datetime(2026, 11, 4, 1, 0, tzinfo=datetime.UTC),
            reason="Monday is a holiday",
        )
        page = text(client.get("/meetings/sig-node-weekly/"))
        assert "Tuesday 3 November 2026" in page
        assert "Monday 2 November 2026" not in page

    def test_moved_to_another_day_is_on_the_page_of_that_day(self, client, frozen, schedule):
        move_to_tuesday(schedule)
        AgendaItemFactory(occurrence=Occurrence.objects.get(), title="Holiday plans")

        response = client.get("/meetings/sig-node-weekly/2026-11-03/")
        assert response.status_code == 200
        page = text(response)
        assert "does not meet" not in page
        assert (
            "Moved from Monday 2 November, 5-6 PM PST to Tuesday 3 November, 5-6 PM PST: "
            "Monday is a holiday"
        ) in page
        assert "5-6 PM PST / 8-9 PM EST / 1-2 AM UTC (Wednesday)" in page
        assert "Holiday plans" in page
        # The lists link the page of the day it takes place.
        listed = client.get("/meetings/", {"weeks": "4"}).content.decode()
        assert 'href="/meetings/sig-node-weekly/2026-11-03/"' in listed
        assert 'href="/meetings/sig-node-weekly/2026-11-02/"' not in listed

    def test_the_old_date_says_where_it_went(self, client, frozen, schedule):
        move_to_tuesday(schedule)
        AgendaItemFactory(occurrence=Occurrence.objects.get(), title="Holiday plans")

        response = client.get("/meetings/sig-node-weekly/2026-11-02/")
        assert response.status_code == 200
        page = text(response)
        assert (
            "Moved The meeting of Monday 2 November takes place on Tuesday 3 November 2026" in page
        )
        assert "5-6 PM PST: Monday is a holiday" in page
        assert "does not meet" not in page and "Holiday plans" not in page
        html = squeeze(response.content.decode())
        assert '<a href="/meetings/sig-node-weekly/2026-11-03/">Tuesday 3 November 2026</a>' in html

    def test_private_meeting_hides_agenda_and_minutes(self, client, frozen):
        meeting = private_meeting_with_records()
        response = client.get(f"{meeting.get_absolute_url()}2026-10-26/")
        assert response.status_code == 200
        html = response.content.decode()
        assert LINES_OCT_26 in text(response)
        for secret in (
            "Confidential vote",
            "Secret minutes",
            "video.example.org/secret",
            "j/secret",
        ):
            assert secret not in html
        assert "its agenda and minutes are not public" in text(response)

    def test_private_meeting_shows_agenda_to_its_leads(self, client, frozen, django_user_model):
        meeting = private_meeting_with_records()
        user = django_user_model.objects.create_user("steer")
        RoleFactory(person=PersonFactory(user=user), group=meeting.group, kind="chair")
        client.force_login(user)
        html = client.get(f"{meeting.get_absolute_url()}2026-10-26/").content.decode()
        assert "Confidential vote" in html and "Secret minutes" in html


class TestAgendaEditor:
    url = "/meetings/sig-node-weekly/2026-11-02/agenda/"

    def post(self, client, version, title="Swap KEP", minutes="Notes", **extra):
        data = {
            "version": version,
            "minutes": minutes,
            "recording_url": "",
            "items-TOTAL_FORMS": "2",
            "items-INITIAL_FORMS": "0",
            "items-0-title": title,
            "items-0-presenter": "@Chair",
            "items-0-minutes_allotted": "10",
            "items-0-ORDER": "1",
            "items-1-title": "",
            **extra,
        }
        return client.post(self.url, data)

    def test_anonymous_is_sent_to_sign_in(self, client, frozen, meeting):
        response = client.get(self.url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")

    def test_non_lead_gets_403(self, client, frozen, meeting, outsider):
        client.force_login(outsider)
        assert client.get(self.url).status_code == 403
        response = self.post(client, services.UNSAVED_VERSION)
        assert response.status_code == 403
        assert "edited by the current chairs, technical leads and leads of SIG Node" in text(
            response
        )
        assert not Occurrence.objects.exists()

    def test_staff_may_edit(self, client, frozen, meeting, staff):
        client.force_login(staff)
        assert client.get(self.url).status_code == 200

    def test_lead_saves_agenda_and_minutes(self, client, frozen, schedule, lead):
        client.force_login(lead)
        form = client.get(self.url)
        assert form.status_code == 200
        assert 'name="version" value="1"' in form.content.decode()
        response = self.post(client, services.UNSAVED_VERSION, minutes="**Agreed**")
        assert response.status_code == 302
        assert response["Location"] == "/meetings/sig-node-weekly/2026-11-02/"
        record = Occurrence.objects.get()
        item = record.agenda_items.get()
        assert (item.title, item.presenter.handle, item.minutes_allotted) == (
            "Swap KEP",
            "chair",
            10,
        )
        page = client.get(response["Location"])
        assert "<strong>Agreed</strong>" in page.content.decode()
        assert "The agenda and minutes are saved." in text(page)
        schedule.refresh_from_db()
        assert schedule.sequence == 1

    def test_a_moved_occurrences_editor_returns_to_the_day_it_takes_place(
        self, client, frozen, schedule, lead
    ):
        move_to_tuesday(schedule)
        client.force_login(lead)
        # Its page offers the editor, which addresses it by the date it had.
        page = client.get("/meetings/sig-node-weekly/2026-11-03/").content.decode()
        assert f'href="{self.url}?schedule={schedule.uid}"' in page
        form = client.get(self.url)
        assert form.status_code == 200
        assert "SIG Node weekly, Tuesday 3 November 2026" in text(form)
        response = self.post(client, 1)
        assert response["Location"] == "/meetings/sig-node-weekly/2026-11-03/"
        assert "Swap KEP" in text(client.get(response["Location"]))

    def test_invalid_row_is_shown_back(self, client, frozen, meeting, lead):
        client.force_login(lead)
        response = self.post(client, services.UNSAVED_VERSION, **{"items-0-link": "not a link"})
        assert response.status_code == 400
        assert "Enter a valid URL" in text(response)
        assert not Occurrence.objects.exists()

    def test_second_saver_is_told_of_the_conflict(self, client, frozen, schedule, lead, staff):
        client.force_login(lead)
        assert 'name="version" value="1"' in client.get(self.url).content.decode()
        # Meanwhile staff saves from the same version.
        client_staff = client.__class__()
        client_staff.force_login(staff)
        assert (
            self.post(client_staff, 1, title="Their item", minutes="Their notes").status_code == 302
        )
        response = self.post(client, 1, title="My item", minutes="My notes")
        assert response.status_code == 409
        page = text(response)
        assert "Someone else saved this agenda while you were editing" in page
        assert "staff saved it" in page
        assert "Their item" in page and "Their notes" in page
        html = response.content.decode()
        assert 'value="My item"' in html and "My notes" in html
        assert 'name="version" value="2"' in html
        stored = Occurrence.objects.get()
        assert stored.minutes == "Their notes"
        # Saving again, having seen theirs, replaces it.
        assert self.post(client, 2, title="My item", minutes="My notes").status_code == 302
        assert Occurrence.objects.get().minutes == "My notes"

    def test_conflict_when_the_record_was_removed_meanwhile(self, client, frozen, schedule, lead):
        record = services.agenda_save(
            schedule=schedule,
            original_date=NOV_2,
            items=[],
            minutes="Old",
            recording_url="",
            expected_version=services.UNSAVED_VERSION,
        )
        services.occurrence_delete(record=record)
        client.force_login(lead)
        response = self.post(client, record.version, minutes="Mine")
        assert response.status_code == 409
        assert "They removed this occurrence's agenda" in text(response)
        assert f'name="version" value="{services.UNSAVED_VERSION}"' in response.content.decode()
        assert not Occurrence.objects.exists()


class TestIncludes:
    def render(self, rf, template, **context):
        request = rf.get("/")
        request.user = AnonymousUser()
        return squeeze(render_to_string(template, context, request=request))

    def test_group_meetings(self, rf, frozen, meeting):
        html = self.render(rf, "meetings/_group_meetings.html", group=meeting.group)
        assert "SIG Node weekly" in html
        assert "Every Monday, 17:00-18:00 America/Los_Angeles" in html
        assert "webcal://testserver/groups/sig-node/calendar.ics" in html
        assert "Monday 26 October 2026" in html

    @pytest.mark.parametrize("count", [1, 3])
    def test_group_meetings_queries_do_not_grow(
        self, rf, frozen, group, django_assert_num_queries, count
    ):
        for _ in range(count):
            ScheduleFactory(meeting=MeetingFactory(group=group))
        # Meetings with groups, their schedules, the schedules' occurrence records.
        with django_assert_num_queries(3):
            self.render(rf, "meetings/_group_meetings.html", group=group)

    def test_person_meetings(self, rf, frozen, meeting, lead):
        html = self.render(rf, "meetings/_person_meetings.html", person=lead.person)
        assert "SIG Node weekly" in html and "SIG Node" in html
        assert "webcal://testserver/people/chair/calendar.ics" in html
        nobody = PersonFactory(handle="nobody")
        assert "has meetings listed" in self.render(
            rf, "meetings/_person_meetings.html", person=nobody
        )

    def test_next_meetings(self, rf, frozen, schedule):
        cancel(schedule, OCT_26)
        html = self.render(
            rf, "meetings/_next_meetings.html", next_meetings=selectors.next_meetings()
        )
        assert "Mon 26 Oct" in html and "Cancelled: KubeCon week" in html
        assert "Mon 2 Nov" in html
        assert "webcal://testserver/calendar.ics" in html


def test_agenda_items_of_a_record_are_listed_in_order(client, frozen, schedule):
    record = Occurrence.objects.create(schedule=schedule, original_date=NOV_2)
    AgendaItemFactory(occurrence=record, order=2, title="Second")
    AgendaItemFactory(occurrence=record, order=1, title="First")
    page = text(client.get("/meetings/sig-node-weekly/2026-11-02/"))
    assert page.index("First") < page.index("Second")
