from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save

from common import freshness
from common.bulk import bulk_written

# The apps whose records the site shows: a change to any of their models (their history
# included; saved, deleted or written by common.bulk.BulkWrite) replaces the data version that
# cached pages, API answers and feeds rest on.
# notifications' subscriptions and notices are shown to nobody: sending mail changes no page.
SHOWN_APPS = {"governance", "meetings", "projects"}


def data_changed(sender, using=None, **kwargs) -> None:
    if sender._meta.app_label in SHOWN_APPS:
        freshness.bump_after_commit(using)


class ConfigConfig(AppConfig):
    """Site-wide templates, static files and the API root."""

    name = "config"
    verbose_name = "Agora site"

    def ready(self):
        for name, signal in (
            ("post_save", post_save),
            ("post_delete", post_delete),
            ("m2m_changed", m2m_changed),
            ("bulk_written", bulk_written),
        ):
            signal.connect(data_changed, dispatch_uid=f"config.data_changed.{name}")
