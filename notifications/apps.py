from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """Subscriptions of e-mail addresses to meetings, and the mail queue that tells them."""

    name = "notifications"

    def ready(self):
        from meetings import signals
        from meetings.models import Occurrence
        from notifications import receivers

        # The meetings services send these inside the change's transaction: the notice is
        # queued, or dropped, in the same commit as the change.
        for signal, receiver in (
            (signals.occurrence_statuses_changed, receivers.statuses_changed),
            (signals.occurrence_agenda_saved, receivers.agenda_saved),
        ):
            signal.connect(
                receiver, sender=Occurrence, dispatch_uid=f"notifications.{receiver.__name__}"
            )
