from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.models import User
from core.api.fields import IdField, StrictCharField


class TokenRequestSerializer(serializers.Serializer[None]):
    username = StrictCharField(max_length=150, label=_("username"))
    password = StrictCharField(
        max_length=256, trim_whitespace=False, style={"input_type": "password"}
    )


class TokenResponseSerializer(serializers.Serializer[dict[str, Any]]):
    token = StrictCharField()
    expires_at = serializers.DateTimeField()


class MeSerializer(serializers.ModelSerializer[User]):
    # The model's text fields as strict strings: ``"phone": 0`` is refused, not stored as "0".
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: StrictCharField,
        models.TextField: StrictCharField,
    }
    roles = serializers.ListField(child=serializers.CharField(), read_only=True)
    has_login = serializers.BooleanField(read_only=True)
    preferred_language = serializers.ChoiceField(choices=settings.LANGUAGES, required=False)

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "display_name",
            "email",
            "phone",
            "preferred_language",
            "roles",
            "has_login",
        ]
        read_only_fields = ["id", "username"]


class ExportSerializer(serializers.Serializer[dict[str, Any]]):
    """A member's data: own rows and ids of rows they acted on, by model label."""

    format = StrictCharField()
    exported_at = serializers.DateTimeField()
    member = IdField()
    records = serializers.DictField(child=serializers.ListField(child=serializers.DictField()))
    actions = serializers.DictField(child=serializers.ListField(child=serializers.IntegerField()))
