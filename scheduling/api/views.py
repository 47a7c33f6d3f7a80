"""Thin API views: parse, call a service or selector with ``now``, serialise."""

from datetime import timedelta
from typing import Any

import django_filters
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import User
from core.api.filters import ChoicesFilter, IdFilter
from core.errors import UnknownReference
from scheduling import errors
from scheduling.api import serializers as s
from scheduling.models import Booking, BookingStatus, Resource, ResourceKind, WaitlistEntry
from scheduling.selectors import bookings_visible_to, resource_availability
from scheduling.services.bookings import (
    BookingRequest,
    booking_approve,
    booking_cancel,
    booking_create,
    booking_mark,
)
from scheduling.services.waitlist import waitlist_accept, waitlist_join, waitlist_leave

MAX_AVAILABILITY_WINDOW = timedelta(days=93)


def member_of(request: Request) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - IsAuthenticated guarantees it
    return user


def unknown_field(field: str) -> UnknownReference:
    return UnknownReference(fields={field: [str(_("Unknown or not available."))]})


def resolve_resource(resource_id: int) -> Resource:
    resource = Resource.objects.select_related("group").filter(pk=resource_id).first()
    if resource is None:
        raise unknown_field("resource")
    return resource


def resolve_member(actor: User, member_id: int | None) -> User:
    if member_id is None or member_id == actor.pk:
        return actor
    if not actor.is_coordinator:
        raise errors.NotYourBooking()
    member = User.objects.filter(pk=member_id).first()
    if member is None:
        raise unknown_field("member")
    return member


class ResourceFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=ResourceKind.choices)
    group = IdFilter()

    class Meta:
        model = Resource
        fields = ["kind", "group"]


class ResourceViewSet(viewsets.ReadOnlyModelViewSet[Resource]):
    """Bookable resources. Public: they show what exists and when it is free, no names."""

    serializer_class = s.ResourceSerializer
    permission_classes = [permissions.AllowAny]
    filterset_class = ResourceFilter

    def get_queryset(self) -> QuerySet[Resource]:
        return (
            Resource.objects.filter(is_active=True)
            .select_related("group")
            .annotate(active_units=Count("units", filter=Q(units__is_active=True)))
            .order_by("kind", "name")
        )

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "start", OpenApiTypes.DATETIME, required=True, description="ISO 8601 with offset"
            ),
            OpenApiParameter(
                "end", OpenApiTypes.DATETIME, required=True, description="ISO 8601 with offset"
            ),
        ],
        responses=s.AvailabilitySerializer,
    )
    @action(detail=True, methods=["get"])
    def availability(self, request: Request, pk: str | None = None) -> Response:
        """Free intervals in the window: opening hours, closures, buffers and bookings."""
        window = s.WindowSerializer(data=request.query_params)
        window.is_valid(raise_exception=True)
        start, end = window.validated_data["start"], window.validated_data["end"]
        if end <= start:
            raise errors.InvalidRange()
        if end - start > MAX_AVAILABILITY_WINDOW:
            raise errors.WindowTooLong(fields={"max_days": MAX_AVAILABILITY_WINDOW.days})
        resource = self.get_object()
        result = resource_availability(resource=resource, start=start, end=end)
        body = {
            "resource": resource.pk,
            "start": start,
            "end": end,
            "open": [vars(i) for i in result.open],
            "free": [{"start": i.start, "end": i.end, "units": n} for i, n in result.free],
            "units": [
                {"id": u.unit.pk, "label": u.unit.label, "free": [vars(i) for i in u.free]}
                for u in result.units
            ],
        }
        return Response(s.AvailabilitySerializer(body).data)


class BookingFilter(django_filters.FilterSet):
    start = django_filters.IsoDateTimeFilter(field_name="end", lookup_expr="gt")
    end = django_filters.IsoDateTimeFilter(field_name="start", lookup_expr="lt")
    status = ChoicesFilter(choices=BookingStatus.choices)
    kind = django_filters.ChoiceFilter(field_name="resource__kind", choices=ResourceKind.choices)
    resource = IdFilter()
    member = IdFilter()

    class Meta:
        model = Booking
        fields = ["resource", "member", "status", "kind", "start", "end"]


class BookingViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Booking]
):
    """Your bookings; coordinators see and filter everybody's."""

    serializer_class = s.BookingSerializer
    filterset_class = BookingFilter

    def get_queryset(self) -> QuerySet[Booking]:
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Booking.objects.none()
        member = member_of(self.request)
        return bookings_visible_to(member_id=member.pk, is_coordinator=member.is_coordinator)

    @extend_schema(request=s.BookingCreateSerializer, responses={201: s.BookingSerializer})
    def create(self, request: Request) -> Response:
        data = s.BookingCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        actor = member_of(request)
        values = data.validated_data
        booking = booking_create(
            request=BookingRequest(
                resource=resolve_resource(values["resource"]),
                member=resolve_member(actor, values.get("member")),
                start=values["start"],
                end=values["end"],
                note=values["note"],
                override=values["override"],
            ),
            actor=actor,
            now=timezone.now(),
        )
        return Response(s.BookingSerializer(booking).data, status=status.HTTP_201_CREATED)

    def _act(self, service: Any, **kwargs: Any) -> Response:
        booking = service(
            booking=self.get_object(), actor=member_of(self.request), now=timezone.now(), **kwargs
        )
        booking.refresh_from_db()
        return Response(s.BookingSerializer(booking).data)

    @extend_schema(request=s.CancelSerializer, responses=s.BookingSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        data = s.CancelSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._act(booking_cancel, reason=data.validated_data["reason"])

    @extend_schema(request=None, responses=s.BookingSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        return self._act(booking_approve)

    @extend_schema(request=None, responses=s.BookingSerializer)
    @action(detail=True, methods=["post"], url_path="no-show")
    def no_show(self, request: Request, pk: str | None = None) -> Response:
        return self._act(booking_mark, outcome=BookingStatus.NO_SHOW)

    @extend_schema(request=None, responses=s.BookingSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str | None = None) -> Response:
        return self._act(booking_mark, outcome=BookingStatus.COMPLETED)


class WaitlistViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[WaitlistEntry]
):
    """Waiting for a taken slot; a freed slot is offered and held for a limited time."""

    serializer_class = s.WaitlistEntrySerializer

    def get_queryset(self) -> QuerySet[WaitlistEntry]:
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return WaitlistEntry.objects.none()
        member = member_of(self.request)
        queryset = WaitlistEntry.objects.order_by("-created_at", "-pk")
        return queryset if member.is_coordinator else queryset.filter(member_id=member.pk)

    @extend_schema(request=s.WaitlistCreateSerializer, responses={201: s.WaitlistEntrySerializer})
    def create(self, request: Request) -> Response:
        data = s.WaitlistCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        actor = member_of(request)
        values = data.validated_data
        entry = waitlist_join(
            resource=resolve_resource(values["resource"]),
            member=resolve_member(actor, values.get("member")),
            start=values["start"],
            end=values["end"],
            actor=actor,
            now=timezone.now(),
        )
        return Response(s.WaitlistEntrySerializer(entry).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=s.WaitlistEntrySerializer)
    @action(detail=True, methods=["post"])
    def leave(self, request: Request, pk: str | None = None) -> Response:
        entry = waitlist_leave(
            entry=self.get_object(), actor=member_of(request), now=timezone.now()
        )
        return Response(s.WaitlistEntrySerializer(entry).data)

    @extend_schema(request=None, responses={200: s.BookingSerializer})
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str | None = None) -> Response:
        booking = waitlist_accept(
            entry=self.get_object(), actor=member_of(request), now=timezone.now()
        )
        return Response(s.BookingSerializer(booking).data)
