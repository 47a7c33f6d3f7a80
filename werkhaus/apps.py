from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WerkhausConfig(AppConfig):
    name = "werkhaus"
    verbose_name = _("Werkhaus")

    def ready(self) -> None:
        # Reminder kinds, message wording and digest sections register on import.
        from werkhaus import notices  # noqa: F401
