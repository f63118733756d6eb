from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    """Meetings, schedules, occurrences, agendas and iCal feeds."""

    name = "meetings"

    def ready(self):
        from governance.models import Group, Subproject
        from governance.signals import sigs_group_imported, sigs_subproject_imported
        from meetings import receivers

        # import_sigs brings each group's and subproject's meetings list in with the group.
        sigs_group_imported.connect(
            receivers.import_group_meetings, sender=Group, dispatch_uid="meetings-sigs-group"
        )
        sigs_subproject_imported.connect(
            receivers.import_subproject_meetings,
            sender=Subproject,
            dispatch_uid="meetings-sigs-subproject",
        )
