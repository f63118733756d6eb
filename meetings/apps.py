from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    """Meetings, schedules, occurrences, agendas and iCal feeds."""

    name = "meetings"
