from django.apps import AppConfig, apps
from django.db.models.signals import m2m_changed, post_delete, post_save

from common import freshness
from common.bulk import bulk_written

# The apps whose records the site shows: a change to any of their models (their history
# included; saved, deleted or written by common.bulk.BulkWrite) replaces the data version that
# cached pages, API answers and feeds rest on.
# notifications' subscriptions and notices are shown to nobody: sending mail changes no page.
SHOWN_APPS = {"governance", "meetings", "projects"}


def data_changed(sender, using=None, **kwargs) -> None:
    freshness.bump_after_commit(using)


class ConfigConfig(AppConfig):
    """Site-wide templates, static files and the API root."""

    name = "config"
    verbose_name = "Agora site"

    def ready(self):
        # Connected to the shown models alone: Django's Collector deletes the rows of a model
        # nothing hears the deletion of (a notice, a link of a many-to-many field) without
        # reading them first. A link row is deleted with its record, or heard of through
        # m2m_changed.
        for model in apps.get_models(include_auto_created=True):
            if model._meta.app_label not in SHOWN_APPS:
                continue
            signals = [post_save, m2m_changed, bulk_written]
            if not model._meta.auto_created:
                signals.append(post_delete)
            for signal in signals:
                signal.connect(data_changed, sender=model, dispatch_uid="config.data_changed")
