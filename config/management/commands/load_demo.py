"""python manage.py load_demo: load each app's part of the demo community into an empty database."""

from importlib import import_module
from types import ModuleType

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import module_has_submodule

from governance.models import Group, Person


def demo_modules() -> list[ModuleType]:
    """Each installed app's `demo` module, in INSTALLED_APPS order with governance first."""
    configs = sorted(apps.get_app_configs(), key=lambda config: config.name != "governance")
    return [
        import_module(f"{config.name}.demo")
        for config in configs
        if module_has_submodule(config.module, "demo")
    ]


def existing_data() -> str:
    """What the database already holds that the demo would write over ("" when it is empty)."""
    counts = {"groups": Group.objects.count(), "people": Person.objects.count()}
    return ", ".join(f"{name}: {number}" for name, number in counts.items() if number)


class Command(BaseCommand):
    help = (
        "Load the demo community into an empty database: each installed app's demo.load(), "
        "governance first, in one transaction. A database that already has groups or people "
        "is left as it is, so what a person changed is kept."
    )

    def handle(self, *args, **options):
        held = existing_data()
        if held:
            self.stdout.write(
                f"The database already has data ({held}): the demo was not loaded, and "
                "nothing was changed."
            )
            return
        with transaction.atomic():
            for module in demo_modules():
                module.load()
                self.stdout.write(f"Loaded {module.__name__}")
