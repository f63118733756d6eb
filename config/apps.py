from django.apps import AppConfig


class ConfigConfig(AppConfig):
    """Site-wide templates, static files and the API root."""

    name = "config"
    verbose_name = "Agora site"
