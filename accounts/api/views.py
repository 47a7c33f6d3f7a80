from typing import Any

from django.contrib.auth import authenticate, logout
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
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
from accounts.api.serializers import (
    ExportSerializer,
    MeSerializer,
    TokenRequestSerializer,
    TokenResponseSerializer,
)
from accounts.models import ApiToken, User
from accounts.services import (
    api_token_issue,
    api_token_revoke,
    member_delete,
    member_update_profile,
)
from core.errors import InvalidInput, NotAllowed
from core.privacy import member_export


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
    http_method_names = ["get", "patch", "delete", "head", "options"]

    def get_object(self) -> User:
        user = self.request.user
        assert isinstance(user, User)  # noqa: S101 - IsAuthenticated guarantees it
        return user

    def perform_update(self, serializer: MeSerializer) -> None:  # type: ignore[override]
        serializer.instance = member_update_profile(
            member=self.get_object(), changes=dict(serializer.validated_data)
        )

    @extend_schema(
        request=None,
        responses={204: None},
        summary="Delete my account: personal data removed, what happened kept without a name",
    )
    def delete(self, request: Request) -> Response:
        member_delete(member=self.get_object(), actor=self.get_object(), now=timezone.now())
        logout(request._request)  # the session row is gone; start the visitor afresh
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeExportView(APIView):
    """Everything stored about the member who is logged in."""

    @extend_schema(responses={200: ExportSerializer}, summary="Export my data (JSON)")
    def get(self, request: Request) -> Response:
        user = request.user
        assert isinstance(user, User)  # noqa: S101 - IsAuthenticated guarantees it
        return Response(member_export(member=user, now=timezone.now()))


class IsCoordinator(permissions.BasePermission):
    message = NotAllowed.default_message

    def has_permission(self, request: Request, view: APIView) -> bool:
        return bool(getattr(request.user, "is_coordinator", False))


class MemberDeleteView(APIView):
    """A coordinator deletes a member's personal data on the member's request."""

    permission_classes = [permissions.IsAuthenticated, IsCoordinator]

    @extend_schema(request=None, responses={204: None}, summary="Delete a member's data")
    def delete(self, request: Request, pk: int) -> Response:
        actor = request.user
        assert isinstance(actor, User)  # noqa: S101 - IsCoordinator guarantees it
        member = get_object_or_404(User, pk=pk)
        member_delete(member=member, actor=actor, now=timezone.now())
        return Response(status=status.HTTP_204_NO_CONTENT)


class MemberExportView(APIView):
    """A coordinator exports a member's data on the member's request."""

    permission_classes = [permissions.IsAuthenticated, IsCoordinator]

    @extend_schema(responses={200: ExportSerializer}, summary="Export a member's data (JSON)")
    def get(self, request: Request, pk: int) -> Response:
        member = get_object_or_404(User, pk=pk)
        return Response(member_export(member=member, now=timezone.now()))
