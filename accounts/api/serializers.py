from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.models import User


class TokenRequestSerializer(serializers.Serializer[None]):
    username = serializers.CharField(max_length=150, label=_("username"))
    password = serializers.CharField(
        max_length=256, trim_whitespace=False, style={"input_type": "password"}
    )


class TokenResponseSerializer(serializers.Serializer[dict[str, Any]]):
    token = serializers.CharField()
    expires_at = serializers.DateTimeField()


class MeSerializer(serializers.ModelSerializer[User]):
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

    format = serializers.CharField()
    exported_at = serializers.DateTimeField()
    member = serializers.IntegerField()
    records = serializers.DictField(child=serializers.ListField(child=serializers.DictField()))
    actions = serializers.DictField(child=serializers.ListField(child=serializers.IntegerField()))
