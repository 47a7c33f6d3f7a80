from typing import Any

from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from scheduling.api.views import member_of
from scheduling.services.feeds import feed_token_issue, feed_token_revoke
from scheduling.services.reminders import reminder_choices, reminder_choices_set


class CalendarTokenView(APIView):
    """Your personal calendar feed: POST makes a new secret address (the old one stops
    working), DELETE switches the feed off. The address is shown only once."""

    @extend_schema(
        request=None,
        responses={201: inline_serializer("CalendarFeed", {"url": serializers.URLField()})},
    )
    def post(self, request: Request) -> Response:
        member = member_of(request)
        key = feed_token_issue(member=member, actor=member, now=timezone.now())
        url = request.build_absolute_uri(reverse("ical:member", kwargs={"token": key}))
        return Response({"url": url}, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request, *args: Any) -> Response:
        member = member_of(request)
        feed_token_revoke(member=member, actor=member, now=timezone.now())
        return Response(status=status.HTTP_204_NO_CONTENT)


class ReminderChoiceSerializer(serializers.Serializer[Any]):
    kind = serializers.CharField()
    description = serializers.CharField()
    enabled = serializers.BooleanField()


class ReminderListSerializer(serializers.Serializer[Any]):
    reminders = ReminderChoiceSerializer(many=True)


class ReminderChangeSerializer(serializers.Serializer[Any]):
    # PATCH: nothing sent, nothing changed.
    reminders = serializers.DictField(child=serializers.BooleanField(), required=False)


class RemindersView(APIView):
    """Which reminders you get by e-mail (all are on until you switch one off). PATCH
    ``{"reminders": {"booking_reminder": false}}`` switches kinds off or on again."""

    def _listing(self, request: Request) -> Response:
        choices = reminder_choices(member=member_of(request))
        rows = [{"kind": k, "description": label, "enabled": on} for k, label, on in choices]
        return Response(ReminderListSerializer({"reminders": rows}).data)

    @extend_schema(responses={200: ReminderListSerializer})
    def get(self, request: Request) -> Response:
        return self._listing(request)

    @extend_schema(request=ReminderChangeSerializer, responses={200: ReminderListSerializer})
    def patch(self, request: Request) -> Response:
        change = ReminderChangeSerializer(data=request.data)
        change.is_valid(raise_exception=True)
        reminder_choices_set(
            member=member_of(request),
            choices=change.validated_data.get("reminders", {}),
            now=timezone.now(),
        )
        return self._listing(request)
