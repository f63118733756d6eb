from django.apps import AppConfig
from django.conf import settings
from django.core import checks


def check_night_rule(**kwargs) -> list[checks.CheckMessage]:
    """AGORA_NIGHT and AGORA_WEEKEND read, or the site refuses to start (not a 500 per page)."""
    from meetings.fairness import NightRule

    try:
        NightRule.parse(settings.AGORA_NIGHT, settings.AGORA_WEEKEND)
    except ValueError as error:
        hint = 'e.g. AGORA_NIGHT="22:00-07:00", AGORA_WEEKEND="saturday,sunday"'
        return [checks.Error(f"AGORA_NIGHT / AGORA_WEEKEND: {error}", hint=hint, id="agora.E001")]
    return []


class MeetingsConfig(AppConfig):
    """Meetings, schedules, occurrences, agendas and iCal feeds."""

    name = "meetings"

    def ready(self):
        checks.register(check_night_rule)

        from common import freshness
        from governance import signals
        from governance.models import Group, Subproject
        from meetings import feeds, receivers

        # A change removes the published feed files: nginx passes requests to the app again.
        freshness.replaced.connect(feeds.unpublish, dispatch_uid="meetings.feeds.unpublish")

        # import_sigs and export_sigs carry each group's and subproject's meetings list.
        for signal, receiver, sender in (
            (signals.sigs_imported, receivers.import_meetings, Group),
            (signals.sigs_group_exporting, receivers.export_group_meetings, Group),
            (signals.sigs_subproject_exporting, receivers.export_subproject_meetings, Subproject),
            # The annual report draft lists the meetings held with minutes.
            (signals.annual_report_sections, receivers.annual_report_meetings, Group),
            (signals.readme_meeting_lines, receivers.readme_meetings, Group),
        ):
            signal.connect(receiver, sender=sender, dispatch_uid=f"meetings.{receiver.__name__}")
