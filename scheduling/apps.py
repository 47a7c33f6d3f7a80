from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchedulingConfig(AppConfig):
    """The booking and sign-up engine. It knows nothing about tools or tomatoes."""

    name = "scheduling"
    verbose_name = _("Scheduling")

    def ready(self) -> None:
        # The engine's reminder kinds and digest sections register themselves on import.
        from scheduling import digest, reminders  # noqa: F401
