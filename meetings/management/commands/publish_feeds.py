"""Write every feed (the site's, each group's and meeting's) under AGORA_FEEDS_ROOT."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from meetings import feeds, ical


class Command(BaseCommand):
    help = (
        "Publish the feeds as files for a static server (nginx) to serve, once after a deploy; "
        "a change unpublishes them, and the app publishes each again as it is next asked for."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url",
            required=True,
            help="The site's address as readers reach it, e.g. https://community.example.org",
        )

    def handle(self, *, base_url: str, **options):
        if not settings.AGORA_FEEDS_ROOT:
            raise CommandError("Set AGORA_FEEDS_ROOT to the directory the static server reads.")
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise CommandError(f"--base-url must be an http(s) address, not {base_url!r}")
        domain = settings.AGORA_ICAL_DOMAIN or parts.hostname or ical.DEFAULT_DOMAIN
        count = feeds.publish_all(base_url=base_url.rstrip("/"), domain=domain)
        self.stdout.write(f"Published {count} feeds under {settings.AGORA_FEEDS_ROOT}")
