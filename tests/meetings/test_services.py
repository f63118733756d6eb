"""Writes: validation messages, the SEQUENCE rule, optimistic agenda saves, who may edit."""

import datetime
import threading

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from governance import permissions as rules
from governance.models import RoleKind
from meetings import recurrence, services, signals
from meetings.models import Meeting, Occurrence, OccurrenceStatus, Schedule
from tests.factories import PersonFactory, RoleFactory
from tests.meetings.factories import MeetingFactory, OccurrenceFactory, ScheduleFactory

MONDAY = datetime.date(2026, 10, 26)
TIMING = {
    "time_zone": "America/Los_Angeles",
    "first_date": datetime.date(2026, 10, 5),
    "start_time": datetime.time(17, 0),
    "duration_minutes": 60,
    "frequency": "weekly",
}


def errors_of(excinfo) -> dict[str, str]:
    return {field: " ".join(messages) for field, messages in excinfo.value.message_dict.items()}


@pytest.mark.django_db
class TestScheduleValidation:
    def test_unknown_zone_names_the_closest_ones(self, meeting):
        with pytest.raises(ValidationError) as excinfo:
            services.schedule_create(
                meeting=meeting, **{**TIMING, "time_zone": "America/Los_Angles"}
            )
        assert "America/Los_Angeles" in errors_of(excinfo)["time_zone"]

    def test_rrule_that_does_not_parse(self, meeting):
        with pytest.raises(ValidationError) as excinfo:
            services.schedule_create(
                meeting=meeting, **{**TIMING, "frequency": "rrule", "rrule": "FREQ=SOMETIMES"}
            )
        assert "cannot be read" in errors_of(excinfo)["rrule"]

    def test_rrule_without_any_occurrence(self, meeting):
        # 30 February never comes.
        with pytest.raises(ValidationError) as excinfo:
            services.schedule_create(
                meeting=meeting,
                **{**TIMING, "frequency": "rrule", "rrule": "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30"},
            )
        assert "no occurrence" in errors_of(excinfo)["rrule"]

    @pytest.mark.parametrize("minutes", [0, 24 * 60 + 1])
    def test_duration_of_zero_or_over_a_day(self, meeting, minutes):
        with pytest.raises(ValidationError) as excinfo:
            services.schedule_create(meeting=meeting, **{**TIMING, "duration_minutes": minutes})
        assert "duration_minutes" in excinfo.value.message_dict

    def test_start_in_a_dst_gap_is_allowed_and_explained(self, meeting):
        schedule = services.schedule_create(
            meeting=meeting,
            **{
                **TIMING,
                "first_date": datetime.date(2027, 3, 7),
                "start_time": datetime.time(2, 30),
            },
        )
        notes = recurrence.dst_notes(schedule)
        assert any(
            note.startswith("2027-03-14 02:30 does not exist") and "03:30 PDT" in note
            for note in notes
        )


@pytest.mark.django_db
class TestSequence:
    def test_timing_change_raises_sequence(self, schedule):
        updated = services.schedule_update(schedule=schedule, start_time=datetime.time(18, 0))
        assert updated.sequence == 1
        assert updated.describe() == "Every Monday, 18:00-19:00 America/Los_Angeles"

    def test_other_changes_leave_sequence(self, schedule):
        updated = services.schedule_update(schedule=schedule, source_text="Mondays at 5pm PT")
        assert updated.sequence == 0
        assert updated.source_text == "Mondays at 5pm PT"

    def test_update_with_the_new_values_already_on_the_instance(self, schedule):
        # The admin and the API hand over an instance their form already changed.
        schedule.duration_minutes = 90
        updated = services.schedule_update(schedule=schedule, duration_minutes=90)
        assert (updated.duration_minutes, updated.sequence) == (90, 1)

    def test_cancel_move_restore_and_agenda_each_raise_sequence(self, schedule):
        where = {"schedule": schedule, "original_date": MONDAY}
        services.occurrence_cancel(**where, reason="KubeCon")
        assert schedule.sequence == 1
        start = datetime.datetime(2026, 10, 27, 1, 0, tzinfo=datetime.UTC)
        services.occurrence_move(**where, start=start)
        assert schedule.sequence == 2
        services.occurrence_restore(**where)
        assert schedule.sequence == 3
        services.agenda_save(
            **where, items=[], minutes="Notes", recording_url="", expected_version=1
        )
        schedule.refresh_from_db()
        assert schedule.sequence == 4

    def test_schedules_ended_at_once_raise_each_sequence_once_and_each_is_heard_of(self, schedule):
        tuesdays = ScheduleFactory(meeting=schedule.meeting, first_date=datetime.date(2026, 10, 6))
        services.occurrence_move(
            schedule=schedule, original_date=MONDAY, duration_minutes=90, reason="Longer"
        )
        agenda = Occurrence.objects.create(
            schedule=tuesdays, original_date=datetime.date(2026, 10, 27)
        )
        services.occurrence_cancel(
            schedule=tuesdays, original_date=datetime.date(2026, 11, 3), reason="Election day"
        )
        heard = []

        def hear(sender, *, changes, **kwargs):
            heard.extend(
                (record.schedule_id, record.original_date, previous) for record, previous in changes
            )

        signals.occurrence_statuses_changed.connect(hear)
        try:
            ended = services.schedules_end(
                schedules=[schedule, tuesdays], on=datetime.date(2026, 10, 19), reason=" Merged "
            )
            again = services.schedules_end(
                schedules=[schedule, tuesdays], on=datetime.date(2026, 10, 19), reason="Merged"
            )
        finally:
            signals.occurrence_statuses_changed.disconnect(hear)

        assert (ended, again) == ([schedule, tuesdays], [])
        assert heard == [
            (schedule.pk, MONDAY, OccurrenceStatus.MOVED),
            (tuesdays.pk, agenda.original_date, OccurrenceStatus.SCHEDULED),
        ]
        for each, last_date in ((schedule, "2026-10-18"), (tuesdays, "2026-10-18")):
            each.refresh_from_db()
            assert (str(each.last_date), each.sequence) == (last_date, 2)
        records = Occurrence.objects.order_by("original_date")
        assert [(r.original_date.isoformat(), r.status, r.reason) for r in records] == [
            ("2026-10-26", OccurrenceStatus.CANCELLED, "Merged"),
            ("2026-10-27", OccurrenceStatus.CANCELLED, "Merged"),
            ("2026-11-03", OccurrenceStatus.CANCELLED, "Election day"),
        ]
        assert [h.history_type for h in agenda.history.order_by("history_id")] == ["+", "~"]


@pytest.mark.django_db
class TestOccurrences:
    def test_cancel_needs_a_reason(self, schedule):
        with pytest.raises(ValidationError) as excinfo:
            services.occurrence_cancel(schedule=schedule, original_date=MONDAY, reason="  ")
        assert "Say why" in errors_of(excinfo)["reason"]
        assert not Occurrence.objects.exists()

    def test_cancel_on_a_date_the_schedule_does_not_give(self, schedule):
        with pytest.raises(ValidationError) as excinfo:
            services.occurrence_cancel(
                schedule=schedule, original_date=datetime.date(2026, 10, 27), reason="Holiday"
            )
        assert "nearby: Mon 2026-10-26, Mon 2026-11-02" in errors_of(excinfo)["original_date"]

    def test_cancel_then_restore(self, schedule):
        record = services.occurrence_cancel(
            schedule=schedule, original_date=MONDAY, reason="KubeCon"
        )
        assert (record.status, record.reason) == (OccurrenceStatus.CANCELLED, "KubeCon")
        slot = recurrence.slot_on(schedule, MONDAY)
        assert slot.is_cancelled
        services.occurrence_restore(schedule=schedule, original_date=MONDAY)
        schedule.refresh_from_db()
        assert recurrence.slot_on(schedule, MONDAY).status == OccurrenceStatus.SCHEDULED

    def test_move_changes_the_instant_and_keeps_the_date(self, schedule):
        start = datetime.datetime(2026, 10, 27, 3, 0, tzinfo=datetime.UTC)
        services.occurrence_move(
            schedule=schedule, original_date=MONDAY, start=start, duration_minutes=30
        )
        slot = recurrence.slot_on(schedule, MONDAY)
        assert (slot.start, slot.end - slot.start) == (start, datetime.timedelta(minutes=30))

    def test_move_needs_a_new_start_or_duration(self, schedule):
        with pytest.raises(ValidationError) as excinfo:
            services.occurrence_move(schedule=schedule, original_date=MONDAY)
        assert "moved_start" in excinfo.value.message_dict


@pytest.mark.django_db
class TestAgendaSave:
    def save(self, schedule, version, title, minutes=""):
        return services.agenda_save(
            schedule=schedule,
            original_date=MONDAY,
            items=[{"title": title, "presenter_name": "Sam"}],
            minutes=minutes,
            recording_url="",
            expected_version=version,
        )

    def test_first_save_creates_the_record(self, schedule):
        presenter = PersonFactory(handle="jane")
        record = services.agenda_save(
            schedule=schedule,
            original_date=MONDAY,
            items=[
                {"title": "Intro", "presenter": presenter},
                {"title": "KEP review", "presenter_name": "Sam", "minutes_allotted": 20},
            ],
            minutes="# Notes",
            recording_url="https://video.example.org/1",
            expected_version=services.UNSAVED_VERSION,
        )
        assert record.version == services.UNSAVED_VERSION + 1
        items = list(record.agenda_items.all())
        assert [(i.order, i.title, i.presenter_display) for i in items] == [
            (1, "Intro", presenter.display_name),
            (2, "KEP review", "Sam"),
        ]

    def test_a_first_save_does_not_read_its_presenters_again(self, schedule):
        """The schedule and the presenters are rows the save holds: its statements do not grow
        with the items."""
        people = PersonFactory.create_batch(3)

        def statements(day, presenters) -> int:
            with CaptureQueriesContext(connection) as queries:
                services.agenda_save(
                    schedule=schedule,
                    original_date=day,
                    items=[{"title": person.handle, "presenter": person} for person in presenters],
                    minutes="",
                    recording_url="",
                    expected_version=services.UNSAVED_VERSION,
                )
            return len(queries)

        one = statements(MONDAY - datetime.timedelta(days=7), people[:1])
        assert statements(MONDAY, people) == one
        assert [
            item.presenter
            for item in Occurrence.objects.get(original_date=MONDAY).agenda_items.all()
        ] == people

    def test_stale_version_is_a_conflict_and_writes_nothing(self, schedule):
        first = self.save(schedule, services.UNSAVED_VERSION, "Theirs", minutes="their notes")
        with pytest.raises(services.AgendaConflict) as excinfo:
            self.save(schedule, services.UNSAVED_VERSION, "Mine", minutes="my notes")
        current = excinfo.value.current
        assert current.version == first.version
        assert [item.title for item in current.agenda_items.all()] == ["Theirs"]
        stored = Occurrence.objects.get()
        assert (stored.minutes, stored.version) == ("their notes", first.version)
        schedule.refresh_from_db()
        assert schedule.sequence == 1

    def test_saving_from_the_current_version_succeeds(self, schedule):
        first = self.save(schedule, services.UNSAVED_VERSION, "One")
        second = self.save(schedule, first.version, "Two")
        assert second.version == first.version + 1
        assert [item.title for item in second.agenda_items.all()] == ["Two"]

    def test_invalid_item_writes_nothing(self, schedule):
        with pytest.raises(ValidationError):
            services.agenda_save(
                schedule=schedule,
                original_date=MONDAY,
                items=[{"title": "Bad link", "link": "not a url"}],
                minutes="",
                recording_url="",
                expected_version=services.UNSAVED_VERSION,
            )
        assert not Occurrence.objects.exists()


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite's shared in-memory test database refuses a second writer instead of waiting",
)
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_saves_from_one_version_cannot_both_win(schedule):
    record = services.agenda_save(
        schedule=schedule,
        original_date=MONDAY,
        items=[],
        minutes="start",
        recording_url="",
        expected_version=services.UNSAVED_VERSION,
    )
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def save(text: str):
        barrier.wait()
        try:
            services.agenda_save(
                schedule=schedule,
                original_date=MONDAY,
                items=[{"title": text}],
                minutes=text,
                recording_url="",
                expected_version=record.version,
            )
            outcomes.append("saved")
        except services.AgendaConflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(text,)) for text in ("alice", "bob")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict", "saved"]
    stored = Occurrence.objects.get()
    assert stored.version == record.version + 1
    assert [item.title for item in stored.agenda_items.all()] == [stored.minutes]


def edits_agenda(user, meeting) -> bool:
    return rules.may_write(user, services.AGENDA_PERMISSIONS, groups=[meeting.group_id])


@pytest.mark.django_db
class TestWhoEditsAgendas:
    def test_staff_allowed_to(self, meeting, staff, django_user_model):
        assert edits_agenda(staff, meeting)
        bare = django_user_model.objects.create_user("bare-staff", is_staff=True)
        assert not edits_agenda(bare, meeting)

    @pytest.mark.parametrize("kind", [RoleKind.CHAIR, RoleKind.TECH_LEAD, RoleKind.LEAD])
    def test_current_leads_of_the_group(self, meeting, django_user_model, kind):
        user = django_user_model.objects.create_user("lead")
        RoleFactory(person=PersonFactory(user=user), group=meeting.group, kind=kind)
        assert edits_agenda(user, meeting)

    def test_not_a_member_nor_a_past_lead_nor_another_groups_lead(
        self, meeting, outsider, django_user_model
    ):
        member = django_user_model.objects.create_user("member")
        RoleFactory(person=PersonFactory(user=member), group=meeting.group, kind=RoleKind.MEMBER)
        emeritus = django_user_model.objects.create_user("emeritus")
        RoleFactory(
            person=PersonFactory(user=emeritus),
            group=meeting.group,
            kind=RoleKind.CHAIR,
            start=datetime.date(2020, 1, 1),
            end=datetime.date(2022, 1, 1),
        )
        for user in (member, emeritus, outsider, AnonymousUser()):
            assert not edits_agenda(user, meeting), user

    def test_lead_of_one_group_only_edits_its_meetings(self, lead, meeting):
        other = MeetingFactory()
        assert edits_agenda(lead, meeting)
        assert not edits_agenda(lead, other)


@pytest.mark.django_db
def test_a_misspelt_schedule_field_is_refused_and_nothing_changes():
    schedule = ScheduleFactory()
    sequence = schedule.sequence

    with pytest.raises(TypeError, match="strat_time"):
        services.schedule_update(schedule=schedule, strat_time=datetime.time(9, 0))

    schedule.refresh_from_db()
    assert schedule.sequence == sequence


@pytest.mark.django_db
def test_meetings_are_deleted_with_their_schedules_each_with_its_history_entry(
    django_assert_max_num_queries,
):
    meetings = [MeetingFactory() for _ in range(3)]
    schedules = [ScheduleFactory(meeting=meeting) for meeting in meetings]
    OccurrenceFactory(schedule=schedules[0])
    with django_assert_max_num_queries(16):
        services.meetings_delete(meetings=meetings)
    assert not Meeting.objects.exists() and not Schedule.objects.exists()
    assert not Occurrence.objects.exists()
    for model, records in [(Meeting, meetings), (Schedule, schedules)]:
        gone = model.history.filter(history_type="-").order_by("history_id")
        assert list(gone.values_list("id", flat=True)) == [each.pk for each in reversed(records)]
    assert Occurrence.history.filter(history_type="-").count() == 1
