from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Members and accounts")

    def ready(self) -> None:
        from accounts.services import coordinator_group_sync

        # Permissions exist only after migrate has run; keep the coordinators' group complete.
        post_migrate.connect(
            lambda **kwargs: coordinator_group_sync(), dispatch_uid="coordinator_group_sync"
        )
