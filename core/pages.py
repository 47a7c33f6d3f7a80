"""What every page with a form shares: reading a slot's time from the address, turning a
service's refusal into form errors, and answering a form with its errors in the page."""

from datetime import UTC, datetime
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError

STAMP = "%Y%m%dT%H%M%SZ"


def stamp(moment: datetime) -> str:
    """A moment as it stands in our addresses: UTC, e.g. 20260505T140000Z."""
    return moment.astimezone(UTC).strftime(STAMP)


def parse_stamp(text: str) -> datetime | None:
    try:
        return datetime.strptime(text, STAMP).replace(tzinfo=UTC)
    except (TypeError, ValueError):
        return None


class StampField(forms.CharField):
    """A moment given as a UTC stamp (the slot buttons send these)."""

    default_error_messages = {"invalid": _("Please choose a time from the list.")}

    def to_python(self, value: Any) -> datetime | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        moment = parse_stamp(text)
        if moment is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return moment


def add_domain_error(form: forms.Form, error: DomainError) -> None:
    """The service's message at the top of the form, and next to each field it names that the
    form has."""
    form.errors  # noqa: B018  (validates a bound form; an unbound one gets an empty error list)
    if not hasattr(form, "cleaned_data"):
        form.cleaned_data = {}
    named = [name for name in error.fields if name in form.fields]
    for name in named:
        value = error.fields[name]
        messages = value if isinstance(value, list) else [error.message]
        for message in messages:
            form.add_error(name, str(message))
    if not named:
        form.add_error(None, str(error.message))


def render_form(
    request: HttpRequest, template: str, context: dict[str, Any], *, invalid: bool = False
) -> HttpResponse:
    """A page with a form; 400 when the form answered bad input, so that programs see it too."""
    return render(request, template, context, status=400 if invalid else 200)
