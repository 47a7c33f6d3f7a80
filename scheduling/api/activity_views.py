"""Thin API views for sessions and shifts: parse, call a service or selector, serialise."""

from datetime import timedelta
from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import User
from core.api.filters import IdFilter
from scheduling import errors
from scheduling.api import activity_serializers as s
from scheduling.api.permissions import IsCoordinator
from scheduling.api.views import member_of, resolve_member, unknown_field
from scheduling.models import Activity, ActivityRole, SignUp, SwapOffer
from scheduling.selectors.occurrences import activities, occurrences_in_window
from scheduling.selectors.swaps import open_swap_offers
from scheduling.services.signups import (
    SignupRequest,
    occurrence_cancel,
    occurrence_move,
    signup_accept_offer,
    signup_cancel,
    signup_create,
    signup_mark_attendance,
)
from scheduling.services.swaps import swap_offer_create, swap_take, swap_withdraw

MAX_OCCURRENCE_WINDOW = timedelta(days=366)


def _activity(event_id: int) -> Activity:
    activity = activities().filter(event_id=event_id).first()
    if activity is None:
        raise unknown_field("event")
    return activity


class OccurrenceViewSet(viewsets.GenericViewSet[Any]):
    """Dated sessions and shifts with their places. Public; your own sign-up when logged in."""

    permission_classes = [permissions.AllowAny]
    serializer_class = s.OccurrenceSerializer
    queryset = Activity.objects.none()  # occurrences are computed, not a queryset

    @extend_schema(
        parameters=[s.OccurrenceQuerySerializer],
        responses=s.OccurrenceSerializer(many=True),
    )
    def list(self, request: Request) -> Response:
        query = s.OccurrenceQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        values = query.validated_data
        if values["end"] <= values["start"]:
            raise errors.InvalidRange()
        if values["end"] - values["start"] > MAX_OCCURRENCE_WINDOW:
            raise errors.WindowTooLong(fields={"max_days": MAX_OCCURRENCE_WINDOW.days})
        user = request.user
        found = occurrences_in_window(
            start=values["start"],
            end=values["end"],
            kind=values.get("kind"),
            calendar_id=values.get("calendar"),
            activity_ids=(
                list(Activity.objects.filter(event_id=values["event"]).values_list("pk", flat=True))
                if values.get("event") is not None
                else None
            ),
            member_id=user.pk if isinstance(user, User) else None,
        )
        if values["open"] is not None:
            found = [o for o in found if (o.open_places > 0) == values["open"]]
        if values["understaffed"] is not None:
            found = [o for o in found if o.understaffed == values["understaffed"]]
        page = self.paginate_queryset(found)  # a list pages like a queryset
        return self.get_paginated_response(s.OccurrenceSerializer(page, many=True).data)

    def _coordinator_action(self, request: Request, serializer: Any) -> tuple[User, Any]:
        actor = member_of(request)
        data = serializer(data=request.data)
        data.is_valid(raise_exception=True)
        return actor, data.validated_data

    @extend_schema(request=s.OccurrenceActionSerializer, responses={200: None})
    @action(
        detail=False,
        methods=["post"],
        permission_classes=[permissions.IsAuthenticated, IsCoordinator],
    )
    def cancel(self, request: Request) -> Response:
        """Coordinators: cancel one date; its sign-ups are cancelled and people are told."""
        actor, values = self._coordinator_action(request, s.OccurrenceActionSerializer)
        occurrence_cancel(
            activity=_activity(values["event"]),
            start=values["start"],
            actor=actor,
            now=timezone.now(),
            reason=values["reason"],
        )
        return Response({"cancelled": True})

    @extend_schema(request=s.OccurrenceMoveSerializer, responses={200: None})
    @action(
        detail=False,
        methods=["post"],
        permission_classes=[permissions.IsAuthenticated, IsCoordinator],
    )
    def move(self, request: Request) -> Response:
        """Coordinators: move one date; its sign-ups move with it and people are told."""
        actor, values = self._coordinator_action(request, s.OccurrenceMoveSerializer)
        slot = occurrence_move(
            activity=_activity(values["event"]),
            start=values["start"],
            new_start=values["new_start"],
            new_end=values["new_end"],
            actor=actor,
            now=timezone.now(),
        )
        return Response({"start": slot.start, "end": slot.end})


class SignUpFilter(django_filters.FilterSet):
    member = IdFilter()

    class Meta:
        model = SignUp
        fields = ["status", "member"]


class SignUpViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[SignUp]
):
    """Your sign-ups; coordinators see everybody's."""

    serializer_class = s.SignUpSerializer
    filterset_class = SignUpFilter

    def get_queryset(self) -> QuerySet[SignUp]:
        queryset = SignUp.objects.select_related(
            "slot", "slot__activity", "slot__activity__event", "role"
        ).order_by("-slot__start", "-pk")
        if getattr(self, "swagger_fake_view", False):
            return queryset.none()
        member = member_of(self.request)
        return queryset if member.is_coordinator else queryset.filter(member_id=member.pk)

    @extend_schema(request=s.SignUpCreateSerializer, responses={201: s.SignUpSerializer})
    def create(self, request: Request) -> Response:
        data = s.SignUpCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        actor = member_of(request)
        activity = _activity(values["event"])
        role = None
        if values.get("role") is not None:
            role = ActivityRole.objects.filter(pk=values["role"], activity=activity).first()
            if role is None:
                raise errors.UnknownRole(fields={"role": [str(errors.UnknownRole.default_message)]})
        signup = signup_create(
            request=SignupRequest(
                activity=activity,
                start=values["start"],
                member=resolve_member(actor, values.get("member")),
                role=role,
                waitlist=values["waitlist"],
            ),
            actor=actor,
            now=timezone.now(),
        )
        return Response(
            s.SignUpSerializer(self._fresh(signup)).data, status=status.HTTP_201_CREATED
        )

    def _fresh(self, signup: SignUp) -> SignUp:
        return self.get_queryset().get(pk=signup.pk)

    def _act(self, service: Any, **kwargs: Any) -> Response:
        signup = service(
            signup=self.get_object(), actor=member_of(self.request), now=timezone.now(), **kwargs
        )
        return Response(s.SignUpSerializer(self._fresh(signup)).data)

    @extend_schema(request=None, responses=s.SignUpSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        return self._act(signup_cancel)

    @extend_schema(request=None, responses=s.SignUpSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str | None = None) -> Response:
        """Accept the place offered to you from the waitlist."""
        return self._act(signup_accept_offer)

    @extend_schema(request=s.AttendanceSerializer, responses=s.SignUpSerializer)
    @action(detail=True, methods=["post"])
    def attendance(self, request: Request, pk: str | None = None) -> Response:
        """Coordinators: record whether the member came."""
        data = s.AttendanceSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._act(signup_mark_attendance, attended=data.validated_data["attended"])

    @extend_schema(request=None, responses={201: s.SwapOfferSerializer})
    @action(detail=True, methods=["post"])
    def swap(self, request: Request, pk: str | None = None) -> Response:
        """Offer your place to someone else; it stays yours until they take it."""
        offer = swap_offer_create(
            signup=self.get_object(), actor=member_of(request), now=timezone.now()
        )
        return Response(s.SwapOfferSerializer(offer).data, status=status.HTTP_201_CREATED)


class SwapViewSet(mixins.ListModelMixin, viewsets.GenericViewSet[SwapOffer]):
    """Open swap offers that members can take over."""

    serializer_class = s.SwapOfferSerializer

    def get_queryset(self) -> QuerySet[SwapOffer]:
        return (
            open_swap_offers(now=timezone.now())
            .select_related(
                "signup", "signup__slot", "signup__slot__activity__event", "signup__role"
            )
            .order_by("signup__slot__start")
        )

    @extend_schema(request=None, responses={200: s.SignUpSerializer})
    @action(detail=True, methods=["post"])
    def take(self, request: Request, pk: str | None = None) -> Response:
        signup = swap_take(offer=self.get_object(), taker=member_of(request), now=timezone.now())
        return Response(s.SignUpSerializer(signup).data)

    @extend_schema(request=None, responses=s.SwapOfferSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str | None = None) -> Response:
        offer = swap_withdraw(offer=self.get_object(), actor=member_of(request), now=timezone.now())
        return Response(s.SwapOfferSerializer(offer).data)
