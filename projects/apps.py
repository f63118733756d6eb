from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    """Project list, releases and enhancement proposals."""

    name = "projects"
