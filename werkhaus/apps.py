from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WerkhausConfig(AppConfig):
    name = "werkhaus"
    verbose_name = _("Werkhaus")
