"""The meetings API: anonymous reads without private data, writes by leads and staff."""

import datetime

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from meetings import services
from meetings.models import Meeting, Occurrence
from tests.factories import PersonFactory, RoleFactory
from tests.meetings.factories import MeetingFactory, ScheduleFactory, private_meeting_with_records

pytestmark = pytest.mark.django_db
API = "/api/v1"
OCT_26 = datetime.date(2026, 10, 26)
NOV_2 = datetime.date(2026, 11, 2)


@pytest.fixture
def api():
    return APIClient()


def signed_in(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


class TestMeetings:
    def test_anonymous_list_and_detail(self, api, meeting):
        response = api.get(f"{API}/meetings/")
        assert response.status_code == 200
        [row] = response.json()["results"]
        assert row["slug"] == "sig-node-weekly" and row["group"] == "sig-node"
        assert row["join_url"].startswith("https://zoom.example.org/j/")
        assert row["details_hidden"] is False
        assert api.get(f"{API}/meetings/sig-node-weekly/").json()["title"] == "SIG Node weekly"

    def test_private_links_blanked_for_the_public_only(self, api, staff, django_user_model):
        meeting = private_meeting_with_records()
        public = api.get(f"{API}/meetings/{meeting.slug}/").json()
        assert public["details_hidden"] is True
        assert public["join_url"] == public["agenda_url"] == ""
        for user in (staff, self.steering_chair(meeting, django_user_model)):
            shown = signed_in(user).get(f"{API}/meetings/{meeting.slug}/").json()
            assert shown["join_url"] == "https://zoom.example.org/j/secret"

    def steering_chair(self, meeting, django_user_model):
        user = django_user_model.objects.create_user("steer")
        RoleFactory(person=PersonFactory(user=user), group=meeting.group, kind="chair")
        return user

    def test_filters(self, api, meeting):
        MeetingFactory(kind="office_hours")
        assert api.get(f"{API}/meetings/", {"group": "sig-node"}).json()["count"] == 1
        assert api.get(f"{API}/meetings/", {"kind": "office_hours"}).json()["count"] == 1
        response = api.get(f"{API}/meetings/", {"group": "nope"})
        assert response.status_code == 400 and "group" in response.json()
        response = api.get(f"{API}/meetings/", {"colour": "red"})
        assert response.status_code == 400 and "colour" in response.json()

    def test_create_by_lead_of_the_group(self, meeting, lead):
        body = {"slug": "node-office-hours", "title": "Node office hours", "group": "sig-node"}
        response = signed_in(lead).post(f"{API}/meetings/", body, format="json")
        assert response.status_code == 201, response.json()
        assert Meeting.objects.filter(slug="node-office-hours", group=meeting.group).exists()

    def test_create_refused(self, api, meeting, outsider):
        body = {"slug": "x", "title": "X", "group": "sig-node"}
        assert api.post(f"{API}/meetings/", body, format="json").status_code == 403
        response = signed_in(outsider).post(f"{API}/meetings/", body, format="json")
        assert response.status_code == 403
        assert "leads of SIG Node" in response.json()["detail"]

    def test_update_and_validation(self, meeting, lead, outsider):
        url = f"{API}/meetings/sig-node-weekly/"
        response = signed_in(lead).patch(url, {"display_zones": ["Asia/Kolkatta"]}, format="json")
        assert response.status_code == 400
        assert "Asia/Kolkata" in str(response.json()["display_zones"])
        response = signed_in(lead).patch(url, {"title": "Node weekly"}, format="json")
        assert response.status_code == 200 and response.json()["title"] == "Node weekly"
        assert signed_in(outsider).patch(url, {"title": "Mine"}, format="json").status_code == 403
        # A lead cannot hand the meeting to a group they do not lead.
        other = MeetingFactory().group.slug
        assert signed_in(lead).patch(url, {"group": other}, format="json").status_code == 403

    def test_delete_by_staff(self, meeting, staff):
        assert signed_in(staff).delete(f"{API}/meetings/sig-node-weekly/").status_code == 204
        assert not Meeting.objects.exists()


class TestSchedules:
    body = {
        "meeting": "sig-node-weekly",
        "time_zone": "Europe/Berlin",
        "first_date": "2026-11-05",
        "start_time": "15:00",
        "duration_minutes": 30,
        "frequency": "monthly",
        "week_of_month": 1,
    }

    def test_read(self, api, schedule):
        [row] = api.get(f"{API}/schedules/", {"meeting": "sig-node-weekly"}).json()["results"]
        assert row["description"] == "Every Monday, 17:00-18:00 America/Los_Angeles"
        assert row["uid"] == str(schedule.uid) and row["sequence"] == 0
        assert row["is_confirmed"] is True

    def test_create_by_lead(self, meeting, lead):
        response = signed_in(lead).post(f"{API}/schedules/", self.body, format="json")
        assert response.status_code == 201, response.json()
        assert response.json()["description"] == (
            "First Thursday of the month, 15:00-15:30 Europe/Berlin"
        )

    def test_create_errors_name_the_field(self, meeting, lead, outsider):
        client = signed_in(lead)
        response = client.post(
            f"{API}/schedules/", {**self.body, "time_zone": "Europe/Berln"}, format="json"
        )
        assert response.status_code == 400
        assert "Europe/Berlin" in str(response.json()["time_zone"])
        response = client.post(
            f"{API}/schedules/", {**self.body, "first_date": "2026-11-12"}, format="json"
        )
        assert response.status_code == 400
        assert "not a date this rule gives" in str(response.json()["first_date"])
        response = signed_in(outsider).post(f"{API}/schedules/", self.body, format="json")
        assert response.status_code == 403

    def test_timing_change_raises_sequence(self, schedule, lead):
        url = f"{API}/schedules/{schedule.uid}/"
        response = signed_in(lead).patch(url, {"start_time": "16:00"}, format="json")
        assert response.status_code == 200
        assert response.json()["sequence"] == 1
        response = signed_in(lead).patch(url, {"meeting": MeetingFactory().slug}, format="json")
        assert response.status_code == 400 and "meeting" in response.json()

    def test_unconfirmed_filter(self, api, schedule):
        ScheduleFactory(meeting=schedule.meeting, first_date=None, start_time=None)
        assert api.get(f"{API}/schedules/", {"confirmed": "false"}).json()["count"] == 1


class TestOccurrences:
    def test_cancel_by_lead_raises_sequence(self, schedule, lead):
        body = {
            "schedule": str(schedule.uid),
            "original_date": "2026-11-02",
            "status": "cancelled",
            "reason": "Election day",
        }
        response = signed_in(lead).post(f"{API}/occurrences/", body, format="json")
        assert response.status_code == 201, response.json()
        assert response.json()["meeting"] == "sig-node-weekly"
        schedule.refresh_from_db()
        assert schedule.sequence == 1

    def test_cancel_errors(self, schedule, lead, api):
        body = {"schedule": str(schedule.uid), "original_date": "2026-11-02", "status": "cancelled"}
        assert api.post(f"{API}/occurrences/", body, format="json").status_code == 403
        response = signed_in(lead).post(f"{API}/occurrences/", body, format="json")
        assert response.status_code == 400 and "Say why" in str(response.json()["reason"])
        response = signed_in(lead).post(
            f"{API}/occurrences/",
            {**body, "original_date": "2026-11-03", "reason": "x"},
            format="json",
        )
        assert response.status_code == 400
        assert "nearby: Mon 2026-11-02" in str(response.json()["original_date"])

    def test_move_with_patch(self, schedule, lead):
        record = services.occurrence_cancel(schedule=schedule, original_date=NOV_2, reason="x")
        response = signed_in(lead).patch(
            f"{API}/occurrences/{record.pk}/",
            {"status": "moved", "moved_start": "2026-11-03T03:00:00Z", "reason": "Clash"},
            format="json",
        )
        assert response.status_code == 200, response.json()
        assert response.json()["moved_start"] == "2026-11-03T03:00:00Z"
        response = signed_in(lead).patch(
            f"{API}/occurrences/{record.pk}/", {"original_date": "2026-11-09"}, format="json"
        )
        assert response.status_code == 400 and "original_date" in response.json()

    def agenda(self, client, record, version, title="Item"):
        return client.put(
            f"{API}/occurrences/{record.pk}/agenda/",
            {
                "version": version,
                "items": [{"title": title, "presenter": "chair", "minutes_allotted": 5}],
                "minutes": "Notes",
            },
            format="json",
        )

    def test_agenda_save_and_conflict(self, schedule, lead, staff):
        record = services.occurrence_restore(schedule=schedule, original_date=NOV_2)
        response = self.agenda(signed_in(lead), record, record.version, title="First")
        assert response.status_code == 200, response.json()
        body = response.json()
        assert body["version"] == record.version + 1
        assert body["agenda_items"][0]["presenter"] == "chair"
        stale = self.agenda(signed_in(staff), record, record.version, title="Stale")
        assert stale.status_code == 409
        assert stale.json()["current"]["agenda_items"][0]["title"] == "First"
        assert Occurrence.objects.get().agenda_items.get().title == "First"

    def test_agenda_refused_and_invalid(self, schedule, outsider, lead):
        record = services.occurrence_restore(schedule=schedule, original_date=NOV_2)
        assert self.agenda(signed_in(outsider), record, record.version).status_code == 403
        response = signed_in(lead).put(
            f"{API}/occurrences/{record.pk}/agenda/", {"items": []}, format="json"
        )
        assert response.status_code == 400 and "version" in response.json()

    def test_private_records_hide_agenda_and_minutes(self, api, staff):
        meeting = private_meeting_with_records()
        [public] = api.get(f"{API}/occurrences/", {"meeting": meeting.slug}).json()["results"]
        assert public["details_hidden"] is True
        assert public["minutes"] == public["recording_url"] == "" and public["agenda_items"] == []
        [full] = signed_in(staff).get(f"{API}/occurrences/").json()["results"]
        assert full["minutes"] == "Secret minutes"

    def test_agenda_items_of_private_meetings_only_for_staff(self, api, staff):
        private_meeting_with_records()
        assert api.get(f"{API}/agenda-items/").json()["count"] == 0
        assert signed_in(staff).get(f"{API}/agenda-items/").json()["count"] == 1

    def test_agenda_items_are_read_only(self, staff):
        response = signed_in(staff).post(f"{API}/agenda-items/", {"title": "x"}, format="json")
        assert response.status_code == 405


class TestOccurrenceTimes:
    url = f"{API}/occurrence-times/"
    week = {"start": "2026-10-26T00:00:00Z", "end": "2026-11-09T00:00:00Z"}

    def test_each_occurrence_in_utc_and_home_wall_time(self, api, schedule):
        services.occurrence_cancel(schedule=schedule, original_date=NOV_2, reason="Election")
        response = api.get(self.url, self.week)
        assert response.status_code == 200
        first, second = response.json()["results"]
        assert (first["start"], first["end"]) == ("2026-10-27T00:00:00Z", "2026-10-27T01:00:00Z")
        assert (first["local_start"], first["time_zone"]) == (
            "2026-10-26T17:00:00",
            "America/Los_Angeles",
        )
        assert first["summary"].startswith("5-6 PM PDT / 8-9 PM EDT / 12-1 AM UTC (Tuesday)")
        assert second["start"] == "2026-11-03T01:00:00Z"
        assert second["local_start"] == "2026-11-02T17:00:00"
        assert (second["status"], second["reason"]) == ("cancelled", "Election")
        shanghai = second["zone_lines"][-1]
        assert shanghai == {
            "zone": "Asia/Shanghai",
            "abbreviation": "China",
            "start": "2026-11-03T09:00:00+08:00",
            "end": "2026-11-03T10:00:00+08:00",
            "other_day": True,
            "text": "9-10 AM China (Tuesday)",
        }
        assert second["page_url"] == "http://testserver/meetings/sig-node-weekly/2026-11-02/"

    def test_a_moved_occurrence_links_the_page_of_its_new_day(self, api, schedule):
        services.occurrence_move(
            schedule=schedule,
            original_date=NOV_2,
            start=datetime.datetime(2026, 11, 4, 1, tzinfo=datetime.UTC),
            reason="Holiday",
        )
        second = api.get(self.url, self.week).json()["results"][1]
        assert second["page_url"] == "http://testserver/meetings/sig-node-weekly/2026-11-03/"

    def test_group_and_meeting_filters(self, api, schedule):
        ScheduleFactory(first_date=datetime.date(2026, 10, 6))
        assert api.get(self.url, self.week).json()["count"] == 4
        assert api.get(self.url, {**self.week, "group": "sig-node"}).json()["count"] == 2
        filtered = api.get(self.url, {**self.week, "meeting": "sig-node-weekly"}).json()
        assert {row["meeting"] for row in filtered["results"]} == {"sig-node-weekly"}

    def test_unconfirmed_schedules_give_none(self, api, meeting):
        ScheduleFactory(meeting=meeting, first_date=None, start_time=None)
        assert api.get(self.url, self.week).json()["count"] == 2

    @pytest.mark.parametrize(
        ("query", "parameter", "message"),
        [
            ({"end": "2026-11-09T00:00:00Z"}, "start", "required"),
            ({"start": "2026-10-26T00:00:00Z"}, "end", "required"),
            ({"start": "yesterday", "end": "2026-11-09T00:00:00Z"}, "start", "ISO 8601"),
            ({"start": "2026-10-26T00:00:00", "end": "2026-11-09T00:00:00Z"}, "start", "offset"),
            ({"start": "2026-11-09T00:00:00Z", "end": "2026-10-26T00:00:00Z"}, "end", "after"),
            ({"start": "2026-01-01T00:00:00Z", "end": "2026-12-01T00:00:00Z"}, "end", "92 days"),
            ({**week, "tz": "x"}, "tz", "Unknown parameter"),
            ({**week, "group": "a,sig-node"}, "group", "Unknown: a."),
        ],
    )  # fmt: skip
    def test_bad_query_is_400_naming_the_parameter(self, api, meeting, query, parameter, message):
        response = api.get(self.url, query)
        assert response.status_code == 400
        assert message in " ".join(response.json()[parameter])

    @pytest.mark.parametrize("count", [2, 6])
    def test_queries_do_not_grow_with_meetings(self, api, django_assert_num_queries, count):
        for _ in range(count):
            schedule = ScheduleFactory(first_date=datetime.date(2026, 10, 5))
            services.occurrence_cancel(schedule=schedule, original_date=OCT_26, reason="x")
        # Schedules with meetings and groups, their occurrence records.
        with django_assert_num_queries(2):
            assert api.get(self.url, self.week).status_code == 200


@pytest.mark.parametrize("count", [2, 6])
def test_list_endpoints_queries_do_not_grow(api, django_assert_num_queries, count):
    for _ in range(count):
        private_meeting_with_records()
        services.agenda_save(
            schedule=ScheduleFactory(first_date=OCT_26),
            original_date=OCT_26,
            items=[{"title": "Public item", "presenter": PersonFactory()}],
            minutes="",
            recording_url="",
            expected_version=services.UNSAVED_VERSION,
        )
    # Each: the count, the page, and for occurrences their agenda items and presenters.
    expected = {"meetings": 2, "schedules": 2, "occurrences": 4, "agenda-items": 2}
    for prefix, queries in expected.items():
        with django_assert_num_queries(queries):
            assert api.get(f"{API}/{prefix}/").status_code == 200


def test_schema_has_no_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yml"))
    schema = (tmp_path / "s.yml").read_text()
    for path in ("/meetings/", "/occurrence-times/", "/occurrences/{id}/agenda/"):
        assert f"/api/v1{path}:" in schema
