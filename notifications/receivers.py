"""Notices queued, re-queued or dropped when the meetings services change an occurrence."""

from notifications import services


def statuses_changed(sender, *, changes, **kwargs) -> None:
    services.notices_for_statuses(changes=changes)


def agenda_saved(sender, *, record, agenda_changed, minutes_changed, **kwargs) -> None:
    services.notices_for_agenda(
        record=record, agenda_changed=agenda_changed, minutes_changed=minutes_changed
    )
