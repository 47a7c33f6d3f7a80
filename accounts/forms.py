from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from accounts import login_guard


class GuardedAuthenticationForm(AuthenticationForm):
    """The login page's form: says plainly when too many attempts failed."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "locked": _("Too many failed logins. Please wait a minute and try again."),
    }

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        if login_guard.is_locked(username, login_guard.client_address(self.request)):
            raise forms.ValidationError(self.error_messages["locked"], code="locked")
        return super().clean()
