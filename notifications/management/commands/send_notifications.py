"""Send the reminders that are due and the queued notices; run it every few minutes (cron or a
systemd timer, see the README). Several may run at once: each notice goes to one of them."""

import logging
import smtplib

from django.core.mail import get_connection
from django.core.management.base import BaseCommand
from django.utils import timezone

from notifications import mail, selectors, services

logger = logging.getLogger(__name__)


def _refused(error: Exception) -> bool:
    """Whether the server refused the address for good (5xx), not just for now."""
    return isinstance(error, smtplib.SMTPRecipientsRefused) and all(
        code >= 500 for code, _ in error.recipients.values()
    )


class Command(BaseCommand):
    help = "Send the due reminders and the queued notices by e-mail."

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch", type=int, default=100, help="Notices claimed at a time (default 100)."
        )

    def handle(self, *args, batch: int, **options):
        counts = dict.fromkeys(("reminders queued", "sent", "dropped", "retried", "failed"), 0)
        counts["reminders queued"] = services.reminders_queue(
            due=selectors.due_reminders(now=timezone.now())
        )
        connection = get_connection()
        while notices := services.notices_claim(now=timezone.now(), limit=batch):
            for notice in notices:
                now = timezone.now()
                message = mail.notice_message(notice, now=now)
                if message is None:
                    services.notice_drop(notice=notice, now=now)
                    counts["dropped"] += 1
                    continue
                message.connection = connection
                try:
                    message.send()
                except (smtplib.SMTPException, OSError) as error:
                    connection.close()  # a broken connection is opened afresh for the next
                    given_up = services.notice_failed(
                        notice=notice, now=now, error=repr(error), refused=_refused(error)
                    )
                    counts["failed" if given_up else "retried"] += 1
                    logger.warning(
                        "notice %s to subscription %s: %r", notice.pk, notice.subscription_id, error
                    )
                else:
                    services.notice_sent(notice=notice, now=now)
                    counts["sent"] += 1
        connection.close()
        self.stdout.write(", ".join(f"{name}: {count}" for name, count in counts.items()))
        if counts["failed"] or counts["retried"]:
            self.stderr.write("Some mail could not be sent; see the warnings above.")
