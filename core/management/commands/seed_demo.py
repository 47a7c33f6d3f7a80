"""Load the demo data. Idempotent: a second run adds nothing.

Each app of ours that has demo data offers ``<app>.demo.seed(now=...)``; they run in the
order of INSTALLED_APPS, so an app can rely on the demo data of the apps below it. After all of
them, each ``<app>.demo.finish(now=...)`` that exists runs (the engine files the news of the
demo's past weeks as history, so that nobody is mailed about them).
"""

from importlib import import_module
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone


class Command(BaseCommand):
    help = "Create the demo Werkhaus and garden with the demo accounts (password 'demo')."

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        with transaction.atomic():
            modules = []
            for config in apps.get_app_configs():
                if Path(config.path).parent != Path(settings.BASE_DIR):
                    continue  # a third-party app
                module_name = f"{config.name}.demo"
                if find_spec(module_name) is None:
                    continue
                module = import_module(module_name)
                modules.append(module)
                created = module.seed(now=now)
                label = config.label
                if created:
                    self.stdout.write(f"{label}: created {len(created)}: {', '.join(created)}")
                else:
                    self.stdout.write(f"{label}: nothing new")
            for module in modules:
                if hasattr(module, "finish"):
                    module.finish(now=now)
