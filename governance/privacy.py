"""Governance's private fields, in one place: people's private e-mail and private channels (a
private mailing list always is one: Channel's constraint and clean()). Staff see them; the
pages, the API and the sigs.yaml export decide through these functions."""

from django.db.models import QuerySet

from governance.models import Channel, Person
from governance.permissions import is_staff

PRIVATE_PERSON_FIELDS = ("private_email",)


def sees_private_fields(user) -> bool:
    """Whether `user` sees private e-mails and private channels: staff only."""
    return is_staff(user)


def visible_channels(channels: QuerySet[Channel], *, include_private: bool) -> QuerySet[Channel]:
    """`channels` without the private ones, unless `include_private`."""
    return channels if include_private else channels.public()


def channel_shown(channel: Channel, *, include_private: bool) -> bool:
    return include_private or not channel.is_private


def private_email(person: Person, *, include_private: bool) -> str:
    """The person's private e-mail, or "" where private fields are not shown."""
    return person.private_email if include_private else ""
