"""Who sees a project's private channels: staff (governance.permissions.is_staff). The project
pages and the API read channels through the selectors, which ask here."""

from django.db.models import QuerySet

from governance.permissions import is_staff
from projects.models import ProjectChannel


def channels_visible_to(user) -> QuerySet[ProjectChannel]:
    """The channels `user` may see: all of them for staff, else only the public ones."""
    return ProjectChannel.objects.all() if is_staff(user) else ProjectChannel.objects.public()
