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
