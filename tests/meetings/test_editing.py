"""The leads' editors of a meeting, its schedules and its occurrences (issue 7): validated,
refused with the message on the field, one of two saves from the same version, a preview of
a schedule before it is saved with a warning when it moves occurrences that have agendas."""

import datetime

import pytest
from django.urls import reverse

from meetings import services
from meetings.models import Meeting, Schedule
from tests.factories import PersonFactory
from tests.meetings.test_pages import text

pytestmark = pytest.mark.django_db

NOV_9 = datetime.date(2026, 11, 9)


def meeting_data(meeting: Meeting, **changes) -> dict:
    return {
        "version": meeting.version,
        "title": meeting.title,
        "description": meeting.description,
        "join_url": meeting.join_url,
        "agenda_url": meeting.agenda_url,
        "notes_url": "",
        "recordings_url": "",
        "organiser_handles": "",
        **changes,
    }


def schedule_data(schedule: Schedule, **changes) -> dict:
    return {
        "version": schedule.meeting.version,
        "time_zone": schedule.time_zone,
        "first_date": schedule.first_date.isoformat(),
        "start_time": schedule.start_time.strftime("%H:%M"),
        "duration_minutes": schedule.duration_minutes,
        "frequency": schedule.frequency,
        "interval": schedule.interval,
        **changes,
    }


class TestMeetingForm:
    def url(self, meeting):
        return reverse("meetings:meeting-edit", args=[meeting.slug])

    def test_a_lead_changes_title_links_zones_and_organisers(self, client, frozen, meeting, lead):
        PersonFactory(handle="Helper")
        client.force_login(lead)
        data = meeting_data(
            meeting,
            title="SIG Node weekly sync",
            display_zones=["Asia/Kolkata"],
            organiser_handles="@helper",
        )
        response = client.post(self.url(meeting), data)
        assert response["Location"] == meeting.get_absolute_url()
        meeting.refresh_from_db()
        assert (meeting.title, meeting.display_zones) == ("SIG Node weekly sync", ["Asia/Kolkata"])
        assert [person.handle for person in meeting.organisers.all()] == ["Helper"]
        page = text(client.get(meeting.get_absolute_url()))
        assert "Changed by @chair on 20 October 2026, 12:00 UTC" in page
        assert "India" in text(client.get(meeting.get_absolute_url())) or "IST" in page

    def test_bad_input_is_refused_on_its_field(self, client, frozen, meeting, lead):
        client.force_login(lead)
        data = meeting_data(
            meeting, title="", join_url="not a link", organiser_handles="@nobody-here"
        )
        response = client.post(self.url(meeting), data)
        assert response.status_code == 400
        errors = response.context["form"].errors
        assert set(errors) == {"title", "join_url", "organiser_handles"}
        assert "Not in the roster: @nobody-here." in errors["organiser_handles"]
        assert Meeting.objects.get().title == "SIG Node weekly"

    def test_of_two_saves_from_the_same_version_one_wins(self, client, frozen, meeting, lead):
        client.force_login(lead)
        first = meeting_data(meeting, title="First")
        second = meeting_data(meeting, title="Second")
        assert client.post(self.url(meeting), first).status_code == 302
        late = client.post(self.url(meeting), second)
        assert late.status_code == 409
        assert "Someone saved this meeting after you opened it" in text(late)
        assert Meeting.objects.get().title == "First"
        # The form now carries the version they have seen: saving again is a choice.
        assert late.context["form"].data["version"] == meeting.version + 1


class TestScheduleForm:
    def url(self, meeting, schedule=None):
        path = reverse("meetings:schedule-edit", args=[meeting.slug])
        return f"{path}?schedule={schedule.uid}" if schedule else path

    def test_the_preview_shows_the_next_occurrences_in_every_zone_and_saves_nothing(
        self, client, frozen, meeting, schedule, lead
    ):
        client.force_login(lead)
        data = schedule_data(schedule, start_time="09:00", preview="1")
        response = client.post(self.url(meeting, schedule), data)
        assert response.status_code == 200
        page = text(response)
        assert "Preview: the next occurrences as changed" in page
        assert "Monday 26 October 2026: 9-10 AM PDT / 12-1 PM EDT / 4-5 PM UTC / 4-5 PM GMT" in page
        assert Schedule.objects.get().start_time == datetime.time(17)

    def test_a_change_moving_an_agenda_asks_to_confirm(
        self, client, frozen, meeting, schedule, lead
    ):
        services.agenda_save(
            schedule=schedule,
            original_date=NOV_9,
            items=[{"title": "Triage"}],
            minutes="",
            recording_url="",
            expected_version=services.UNSAVED_VERSION,
        )
        client.force_login(lead)
        moved = schedule_data(schedule, start_time="09:00", save="1")
        response = client.post(self.url(meeting, schedule), moved)
        assert response.status_code == 400
        page = text(response)
        assert "This change moves occurrences that have an agenda" in page
        assert "Mon 9 Nov 2026 : 5-6 PM PST" in page and "→ 9-10 AM PST" in page
        assert response.context["form"].errors["confirm_moves"]
        assert Schedule.objects.get().start_time == datetime.time(17)

        confirmed = client.post(self.url(meeting, schedule), {**moved, "confirm_moves": "on"})
        assert confirmed.status_code == 302
        stored = Schedule.objects.get()
        assert (stored.start_time, stored.sequence) == (datetime.time(9), schedule.sequence + 1)

    def test_a_one_off_meeting_is_a_schedule_that_happens_once(self, client, frozen, meeting, lead):
        client.force_login(lead)
        data = {
            "version": meeting.version,
            "time_zone": "Europe/Berlin",
            "first_date": "2026-11-12",
            "start_time": "15:00",
            "duration_minutes": 90,
            "frequency": "once",
            "interval": 1,
            "save": "1",
        }
        assert client.post(self.url(meeting), data).status_code == 302
        page = text(
            client.get(
                reverse(
                    "meetings:occurrence-detail", args=[meeting.slug, datetime.date(2026, 11, 12)]
                )
            )
        )
        assert "3-4:30 PM CET" in page

    def test_an_unknown_schedule_is_not_found(self, client, meeting, lead):
        client.force_login(lead)
        url = reverse("meetings:schedule-edit", args=[meeting.slug]) + "?schedule=nonsense"
        assert client.get(url).status_code == 404


class TestOccurrenceForm:
    def url(self, meeting, day):
        return reverse("meetings:occurrence-change", args=[meeting.slug, day])

    def test_cancel_needs_a_reason(self, client, frozen, meeting, lead):
        client.force_login(lead)
        response = client.post(self.url(meeting, NOV_9), {"action": "cancel", "reason": ""})
        assert response.status_code == 400
        assert "reason" in response.context["cancel"].errors

    def test_move_restore_and_the_pages_of_both_dates(self, client, frozen, meeting, lead):
        client.force_login(lead)
        typed = {"action": "move", "date": "2026-11-10", "time": "09:00", "reason": "Holiday"}
        moved = client.post(self.url(meeting, NOV_9), typed)
        assert moved["Location"] == reverse(
            "meetings:occurrence-detail", args=[meeting.slug, datetime.date(2026, 11, 10)]
        )
        new_date = text(client.get(moved["Location"]))
        assert "Moved from Monday 9 November, 5-6 PM PST to Tuesday 10 November, 9-10 AM PST" in (
            new_date
        )
        old_date = text(
            client.get(reverse("meetings:occurrence-detail", args=[meeting.slug, NOV_9]))
        )
        assert (
            "The meeting of Monday 9 November takes place on Tuesday 10 November 2026" in old_date
        )

        restored = client.post(self.url(meeting, NOV_9), {"action": "restore"})
        assert restored["Location"].endswith(f"/{NOV_9}/")
        assert client.get(moved["Location"]).status_code == 404

    def test_a_move_to_a_time_that_does_not_exist_follows_rfc_5545(
        self, client, frozen, meeting, lead
    ):
        """2:30 on 8 March 2026 does not exist in Los Angeles: it is read as 3:30 PDT."""
        client.force_login(lead)
        typed = {"action": "preview", "date": "2027-03-14", "time": "02:30"}
        page = text(client.post(self.url(meeting, NOV_9), typed))
        assert "America/Los_Angeles: Sun 14 Mar, 3:30-4:30 AM PDT" in page
