"""Who sees a private meeting's details: its join link, agenda document, notes and recordings,
and its occurrences' agendas, minutes and recordings. Anyone sees a public meeting's; a private
one's only staff and the current leads of its group (governance.permissions.sees_private). The
pages, the API, the feeds and the agenda lists of other pages all ask here.
"""

from collections.abc import Collection

from django.db.models import Q, QuerySet

from governance import permissions as rules
from meetings.models import AgendaItem, Meeting, Occurrence

# The meeting's fields a private meeting hides.
MEETING_FIELDS = ("join_url", "agenda_url", "notes_url", "recordings_url")
# An occurrence record's fields (besides its agenda items) a private meeting hides.
RECORD_FIELDS = ("minutes", "recording_url")


def shows_details(user, meeting: Meeting, *, led_groups: Collection[int] | None = None) -> bool:
    """Whether `user` sees `meeting`'s details; `user` None is a reader nobody knows (a feed)."""
    return not meeting.is_private or (
        user is not None and rules.sees_private(user, meeting.group_id, led_groups=led_groups)
    )


def _readable_by(user, meeting: str) -> Q:
    """Rows whose meeting (reached by the lookup `meeting`) shows `user` its details."""
    if rules.is_staff(user):
        return Q()
    return Q(**{f"{meeting}__is_private": False}) | Q(
        **{f"{meeting}__group__in": rules.groups_led_by(user)}
    )


def visible_agenda_items(items: QuerySet[AgendaItem], user) -> QuerySet[AgendaItem]:
    """`items` narrowed to the ones `user` may read."""
    return items.filter(_readable_by(user, "occurrence__schedule__meeting"))


def visible_records(occurrences: QuerySet[Occurrence], user) -> QuerySet[Occurrence]:
    """`occurrences` narrowed to those whose minutes and recording `user` may read."""
    return occurrences.filter(_readable_by(user, "schedule__meeting"))
