"""python manage.py load_demo: load every app's part of the demo community, idempotently."""

from importlib import import_module
from types import ModuleType

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import module_has_submodule


def demo_modules() -> list[ModuleType]:
    """Each installed app's `demo` module, in INSTALLED_APPS order with governance first."""
    configs = sorted(apps.get_app_configs(), key=lambda config: config.name != "governance")
    return [
        import_module(f"{config.name}.demo")
        for config in configs
        if module_has_submodule(config.module, "demo")
    ]


class Command(BaseCommand):
    help = (
        "Load the demo community: each installed app's demo.load(), governance first, in one "
        "transaction. Running it again changes nothing."
    )

    def handle(self, *args, **options):
        try:
            with transaction.atomic():
                for module in demo_modules():
                    module.load()
                    self.stdout.write(f"Loaded {module.__name__}")
        except ValidationError as error:
            raise CommandError(
                f"The demo community does not fit the data already here, so nothing was "
                f"loaded: {'; '.join(error.messages)}"
            ) from None
