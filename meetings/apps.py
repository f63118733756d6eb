from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    """Meetings, schedules, occurrences, agendas and iCal feeds."""

    name = "meetings"

    def ready(self):
        from meetings import signals  # noqa: F401  (connects feed cache invalidation)
