from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    """People, groups, roles, committees, subprojects and contact channels."""

    name = "governance"
