from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from accounts import login_guard
from accounts.models import User


class GuardedModelBackend(ModelBackend):
    """ModelBackend that refuses while too many logins failed, and counts failures."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        address = login_guard.client_address(request)
        if login_guard.is_locked(username, address):
            # PermissionDenied stops Django from trying further backends.
            raise PermissionDenied
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            login_guard.record_failure(username, address)
            return None
        login_guard.record_success(username, address)
        return user
