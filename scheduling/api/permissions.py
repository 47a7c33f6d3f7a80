from rest_framework import permissions
from rest_framework.request import Request
from rest_framework.views import APIView

from scheduling import errors


class IsCoordinator(permissions.BasePermission):
    """Coordinators only; anybody else gets 403 ``permission_denied``."""

    message = errors.NotYourBooking.default_message

    def has_permission(self, request: Request, view: APIView) -> bool:
        return bool(getattr(request.user, "is_coordinator", False))
