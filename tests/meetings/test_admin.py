"""The admin: pages load, saves go through the services, the cancel action works."""

import datetime

import pytest

from meetings import services
from meetings.models import Occurrence, OccurrenceStatus
from tests.admin_forms import form_data
from tests.meetings.factories import ScheduleFactory

pytestmark = pytest.mark.django_db
NOV_2 = datetime.date(2026, 11, 2)


@pytest.fixture
def record(schedule):
    record = services.agenda_save(
        schedule=schedule,
        original_date=NOV_2,
        items=[{"title": "Kept item"}],
        minutes="Old notes",
        recording_url="",
        expected_version=services.UNSAVED_VERSION,
    )
    schedule.refresh_from_db()
    return record


@pytest.mark.parametrize(
    "url",
    [
        "/admin/meetings/meeting/",
        "/admin/meetings/meeting/add/",
        "/admin/meetings/schedule/",
        "/admin/meetings/schedule/add/",
        "/admin/meetings/occurrence/",
        "/admin/meetings/occurrence/add/",
        "/admin/meetings/meeting/?q=node",
        "/admin/meetings/occurrence/?status__exact=cancelled",
    ],
)
def test_pages_load(admin_client, record, url):
    assert admin_client.get(url).status_code == 200


def test_change_pages_load(admin_client, record):
    meeting, schedule = record.schedule.meeting, record.schedule
    for url in (
        f"/admin/meetings/meeting/{meeting.pk}/change/",
        f"/admin/meetings/meeting/{meeting.pk}/history/",
        f"/admin/meetings/schedule/{schedule.pk}/change/",
        f"/admin/meetings/occurrence/{record.pk}/change/",
    ):
        assert admin_client.get(url).status_code == 200, url


def test_meeting_page_previews_next_occurrences_and_dst_notes(admin_client, frozen, meeting):
    ScheduleFactory(
        meeting=meeting,
        first_date=datetime.date(2027, 3, 7),
        start_time=datetime.time(2, 30),
        frequency="weekly",
    )
    html = admin_client.get(f"/admin/meetings/meeting/{meeting.pk}/change/").content.decode()
    assert "Mon 2026-10-26" in html
    assert "5-6 PM PDT / 8-9 PM EDT / 12-1 AM UTC (Tuesday)" in html
    assert "2027-03-14 02:30 does not exist in America/Los_Angeles" in html


def test_meeting_inline_schedule_change_raises_sequence(admin_client, frozen, schedule):
    url = f"/admin/meetings/meeting/{schedule.meeting.pk}/change/"
    data = form_data(admin_client.get(url))
    data["schedules-0-start_time"] = "18:00:00"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    schedule.refresh_from_db()
    assert (schedule.start_time, schedule.sequence) == (datetime.time(18, 0), 1)


def test_meeting_inline_shows_validation_errors(admin_client, frozen, schedule):
    url = f"/admin/meetings/meeting/{schedule.meeting.pk}/change/"
    data = form_data(admin_client.get(url))
    data["schedules-0-time_zone"] = "America/Los_Angles"
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "Did you mean America/Los_Angeles" in response.content.decode()


def test_meeting_add_with_a_schedule(admin_client, group):
    data = form_data(admin_client.get("/admin/meetings/meeting/add/"))
    data.update(
        {
            "group": group.pk,
            "title": "Node office hours",
            "slug": "node-office-hours",
            "display_zones": "[]",
            "schedules-TOTAL_FORMS": "1",
            "schedules-0-time_zone": "Europe/Berlin",
            "schedules-0-first_date": "2027-03-28",
            "schedules-0-start_time": "02:30:00",
            "schedules-0-duration_minutes": "60",
            "schedules-0-frequency": "once",
            "schedules-0-interval": "1",
        }
    )
    response = admin_client.post("/admin/meetings/meeting/add/", data, follow=True)
    assert response.status_code == 200
    schedule = group.meetings.get().schedules.get()
    assert schedule.describe() == "Once, on Sunday 2027-03-28, 02:30-03:30 Europe/Berlin"
    # The editor reads how RFC 5545 places a start inside the spring-forward gap.
    assert "2027-03-28 02:30 does not exist in Europe/Berlin" in response.content.decode()


def test_schedule_admin_raises_sequence_on_timing_only(admin_client, schedule):
    url = f"/admin/meetings/schedule/{schedule.pk}/change/"
    data = form_data(admin_client.get(url))
    data["source_text"] = "Mondays 5pm Pacific"
    assert admin_client.post(url, data).status_code == 302
    schedule.refresh_from_db()
    assert schedule.sequence == 0
    data["duration_minutes"] = "45"
    assert admin_client.post(url, data).status_code == 302
    schedule.refresh_from_db()
    assert (schedule.duration_minutes, schedule.sequence) == (45, 1)


class TestCancelAction:
    url = "/admin/meetings/meeting/"

    def test_asks_for_date_and_reason_then_cancels(self, admin_client, schedule):
        choose = {"action": "cancel_occurrence", "_selected_action": [schedule.meeting.pk]}
        form = admin_client.post(self.url, {**choose, "index": "0"})
        assert form.status_code == 200
        assert "Cancel an occurrence of SIG Node weekly" in form.content.decode()
        apply = {**choose, "apply": "1", "schedule": schedule.pk, "reason": "Holidays"}
        wrong = admin_client.post(self.url, {**apply, "original_date": "2026-12-22"})
        assert wrong.status_code == 200
        assert "nearby: Mon 2026-12-21, Mon 2026-12-28" in wrong.content.decode()
        done = admin_client.post(self.url, {**apply, "original_date": "2026-12-21"}, follow=True)
        assert "SIG Node weekly on Mon 2026-12-21 is cancelled." in done.content.decode()
        record = Occurrence.objects.get()
        assert (record.status, record.reason) == (OccurrenceStatus.CANCELLED, "Holidays")
        schedule.refresh_from_db()
        assert schedule.sequence == 1

    def test_reason_is_required(self, admin_client, schedule):
        response = admin_client.post(
            self.url,
            {
                "action": "cancel_occurrence",
                "_selected_action": [schedule.meeting.pk],
                "apply": "1",
                "schedule": schedule.pk,
                "original_date": "2026-12-21",
                "reason": "",
            },
        )
        assert response.status_code == 200
        assert not Occurrence.objects.exists()

    def test_one_meeting_at_a_time(self, admin_client, schedule):
        other = ScheduleFactory().meeting
        response = admin_client.post(
            self.url,
            {
                "action": "cancel_occurrence",
                "_selected_action": [schedule.meeting.pk, other.pk],
                "index": "0",
            },
            follow=True,
        )
        assert "Choose exactly one meeting" in response.content.decode()


class TestOccurrenceAdmin:
    def url(self, record):
        return f"/admin/meetings/occurrence/{record.pk}/change/"

    def test_minutes_and_items_saved_through_agenda_save(self, admin_client, record):
        data = form_data(admin_client.get(self.url(record)))
        data.update(
            {
                "minutes": "New notes",
                "agenda_items-1-order": "2",
                "agenda_items-1-title": "Added item",
                "agenda_items-1-presenter_name": "Sam",
            }
        )
        response = admin_client.post(self.url(record), data)
        assert response.status_code == 302, response.context["errors"]
        stored = Occurrence.objects.get()
        assert stored.minutes == "New notes"
        assert stored.version == record.version + 1
        assert [item.title for item in stored.agenda_items.all()] == ["Kept item", "Added item"]
        assert stored.schedule.sequence == record.schedule.sequence + 1

    def test_stale_form_is_refused(self, admin_client, record):
        data = form_data(admin_client.get(self.url(record)))
        services.agenda_save(
            schedule=record.schedule,
            original_date=NOV_2,
            items=[],
            minutes="Someone else's notes",
            recording_url="",
            expected_version=record.version,
        )
        data["minutes"] = "Mine"
        response = admin_client.post(self.url(record), data)
        assert response.status_code == 200
        assert "Someone saved this occurrence" in response.content.decode()
        assert Occurrence.objects.get().minutes == "Someone else's notes"

    def test_status_change_goes_through_the_service(self, admin_client, record):
        data = form_data(admin_client.get(self.url(record)))
        data.update({"status": "cancelled", "reason": "Snow"})
        assert admin_client.post(self.url(record), data).status_code == 302
        stored = Occurrence.objects.get()
        assert (stored.status, stored.reason, stored.version) == ("cancelled", "Snow", 2)
        assert stored.schedule.sequence == record.schedule.sequence + 1

    def test_add_a_cancellation(self, admin_client, schedule):
        data = form_data(admin_client.get("/admin/meetings/occurrence/add/"))
        data.update(
            {
                "schedule": schedule.pk,
                "original_date": "2026-11-09",
                "status": "cancelled",
                "reason": "Holiday",
            }
        )
        response = admin_client.post("/admin/meetings/occurrence/add/", data)
        assert response.status_code == 302, response.context["errors"]
        record = Occurrence.objects.get()
        assert (record.original_date, record.status) == (datetime.date(2026, 11, 9), "cancelled")

    def test_a_move_is_typed_in_the_home_zone(self, admin_client, schedule):
        """Mondays 17:00 US Pacific: moved to the Tuesday at 09:00 Pacific, 17:00 UTC."""
        data = form_data(admin_client.get("/admin/meetings/occurrence/add/"))
        data.update(
            {
                "schedule": schedule.pk,
                "original_date": "2026-11-09",
                "status": "moved",
                "moved_on": "2026-11-10",
                "moved_at": "09:00",
            }
        )
        response = admin_client.post("/admin/meetings/occurrence/add/", data)
        assert response.status_code == 302, response.context["errors"]
        record = Occurrence.objects.get()
        assert record.moved_start == datetime.datetime(2026, 11, 10, 17, tzinfo=datetime.UTC)
        page = admin_client.get(self.url(record)).content.decode()
        assert 'name="moved_at" value="09:00:00"' in page and "In America/Los_Angeles." in page

    def test_a_move_needs_both_date_and_time(self, admin_client, record):
        data = form_data(admin_client.get(self.url(record)))
        data.update({"status": "moved", "moved_on": "2026-11-10", "moved_at": ""})
        response = admin_client.post(self.url(record), data)
        assert response.status_code == 200
        assert "Give the new date and the new time, or neither." in response.content.decode()

    def test_delete_raises_sequence(self, admin_client, record):
        url = f"/admin/meetings/occurrence/{record.pk}/delete/"
        assert admin_client.post(url, {"post": "yes"}).status_code == 302
        assert not Occurrence.objects.exists()
        record.schedule.refresh_from_db()
        assert record.schedule.sequence == 2
