from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GardenConfig(AppConfig):
    name = "garden"
    verbose_name = _("Community garden")

    def ready(self) -> None:
        # Reminder kinds, message wording and digest sections register on import.
        from garden import notices  # noqa: F401
