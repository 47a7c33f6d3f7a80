"""Filters shared by the API's lists."""

from typing import Any

import django_filters
from django import forms
from drf_spectacular.utils import extend_schema_field

from core.api.fields import MAX_ID


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(django_filters.Filter):
    """The id of a related object, 1 to ``MAX_ID``. An id that exists nowhere matches nothing, an
    empty list, as any other filter value would; django-filter's ModelChoiceFilter would answer
    400 instead, and read the object first."""

    field_class = forms.IntegerField

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


class _ChoicesField(django_filters.fields.MultipleChoiceField):
    def clean(self, value: Any) -> Any:
        return super().clean([item for item in value or [] if item != ""])


class ChoicesFilter(django_filters.MultipleChoiceFilter):
    """Any of several values (``?status=requested&status=confirmed``); a value sent empty, as a
    form sends an unset choice, is left out like any other empty filter."""

    field_class = _ChoicesField
