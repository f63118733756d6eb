from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    """Project list, releases and enhancement proposals."""

    name = "projects"

    def ready(self):
        from governance.models import Group
        from governance.signals import annual_report_sections
        from projects import receivers

        # The annual report draft lists the group's proposals by stage.
        annual_report_sections.connect(
            receivers.annual_report_proposals,
            sender=Group,
            dispatch_uid="projects.annual_report_proposals",
        )
