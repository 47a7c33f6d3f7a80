from typing import Any

from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status
from rest_framework.exceptions import Throttled
from rest_framework.generics import RetrieveUpdateAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import login_guard
from accounts.api.authentication import ApiTokenAuthentication
from accounts.api.serializers import MeSerializer, TokenRequestSerializer, TokenResponseSerializer
from accounts.models import ApiToken, User
from accounts.services import api_token_issue, api_token_revoke, member_update_profile
from core.errors import InvalidInput


class InvalidCredentials(InvalidInput):
    code = "invalid_credentials"


class TokenView(APIView):
    """Exchange username and password for an API token; DELETE revokes the token in use."""

    # Failed logins are limited by login_guard (per account and address), not by rate.
    throttle_classes: list[type] = []
    authentication_classes = [ApiTokenAuthentication]

    def get_permissions(self) -> list[Any]:
        # Logging in needs no prior authentication; revoking needs the token itself.
        if self.request is not None and self.request.method == "POST":
            return [permissions.AllowAny()]
        return [permissions.IsAuthenticated()]

    @extend_schema(
        request=TokenRequestSerializer,
        responses={201: TokenResponseSerializer},
        auth=[],
        summary="Log in: get an API token",
    )
    def post(self, request: Request) -> Response:
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        username = serializer.validated_data["username"]
        address = login_guard.client_address(request._request)
        if login_guard.is_locked(username, address):
            raise Throttled(
                wait=login_guard.retry_after_seconds(),
                detail=_("Too many failed logins. Please wait a minute and try again."),
            )
        try:
            user = authenticate(
                request._request, username=username, password=serializer.validated_data["password"]
            )
        except PermissionDenied:
            user = None
        if not isinstance(user, User):
            raise InvalidCredentials(_("Username or password is wrong."))
        token, key = api_token_issue(user=user, now=timezone.now())
        body = TokenResponseSerializer({"token": key, "expires_at": token.expires_at}).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None}, summary="Log out: revoke this token")
    def delete(self, request: Request) -> Response:
        if isinstance(request.auth, ApiToken):
            api_token_revoke(token=request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(RetrieveUpdateAPIView[User]):
    """The member who is logged in."""

    serializer_class = MeSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_object(self) -> User:
        user = self.request.user
        assert isinstance(user, User)  # noqa: S101 - IsAuthenticated guarantees it
        return user

    def perform_update(self, serializer: MeSerializer) -> None:  # type: ignore[override]
        serializer.instance = member_update_profile(
            member=self.get_object(), changes=dict(serializer.validated_data)
        )
