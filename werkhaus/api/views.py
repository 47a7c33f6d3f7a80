"""Thin API views of the Werkhaus: parse, call a service or selector with ``now``, serialise."""

from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.functional import cached_property
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from scheduling.api.permissions import IsCoordinator
from scheduling.api.views import member_of, resolve_member, resolve_resource, unknown_field
from scheduling.models import Booking, Unit
from scheduling.selectors import bookings_visible_to
from werkhaus import errors
from werkhaus.api import serializers as s
from werkhaus.models import Loan, ToolType
from werkhaus.selectors import catalogue, loans_for_counter, tool_types, tool_units_for_counter
from werkhaus.services.loans import (
    CheckIn,
    CheckOut,
    loan_check_in,
    loan_check_out,
    loan_walk_in,
    unit_block,
    unit_release,
)
from werkhaus.services.rooms import RoomRequest, room_book


class ToolViewSet(viewsets.GenericViewSet[Any]):
    """The catalogue of tools to borrow, with how many are free now. Public, no names."""

    # Any, not ToolType: the serializer renders catalogue entries (a tool type with its counts).
    serializer_class = s.ToolSerializer
    permission_classes = [permissions.AllowAny]

    def get_queryset(self) -> QuerySet[ToolType]:
        return tool_types()

    @extend_schema(parameters=[s.ToolQuerySerializer], responses=s.ToolSerializer(many=True))
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        query = s.ToolQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        tools = tool_types(category=query.validated_data.get("category"))
        page = self.paginate_queryset(tools)
        # The page is fetched once; catalogue() adds a fixed number of queries for all of it.
        entries = catalogue(now=timezone.now(), tools=list(page if page is not None else tools))
        data = self.get_serializer(entries, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    @extend_schema(responses=s.ToolSerializer)
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        [entry] = catalogue(now=timezone.now(), tools=[self.get_object()])
        return Response(self.get_serializer(entry).data)


class LoanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Loan]):
    """Loans at the counter: your own; coordinators see everybody's and lend and take back."""

    serializer_class = s.LoanSerializer

    @cached_property
    def now(self) -> datetime:
        return timezone.now()

    def get_queryset(self) -> QuerySet[Loan]:
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Loan.objects.none()
        member = member_of(self.request)
        loans = loans_for_counter()
        return loans if member.is_coordinator else loans.filter(booking__member_id=member.pk)

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "now": self.now}

    def _respond(self, loan: Loan, code: int = status.HTTP_200_OK) -> Response:
        fresh = loans_for_counter().get(pk=loan.pk)
        return Response(self.get_serializer(fresh).data, status=code)

    @extend_schema(parameters=[s.LoanQuerySerializer])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        query = s.LoanQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        values = query.validated_data
        loans = self.get_queryset()
        if values.get("member") is not None:
            loans = loans.filter(booking__member_id=values["member"])
        if values["overdue"] is not None:
            late = loans_for_counter(overdue_at=self.now).values("pk")
            loans = loans.filter(pk__in=late) if values["overdue"] else loans.exclude(pk__in=late)
        page = self.paginate_queryset(loans)
        if page is None:
            return Response(self.get_serializer(loans, many=True).data)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(request=s.CheckOutSerializer, responses={201: s.LoanSerializer})
    @action(
        detail=False,
        methods=["post"],
        url_path="check-out",
        # Refused before the booking is looked up: another member's booking id is a 403 like any
        # other, not a 400 "unknown booking" that tells ids apart.
        permission_classes=[permissions.IsAuthenticated, IsCoordinator],
    )
    def check_out(self, request: Request) -> Response:
        """Coordinators: hand a reserved tool over, with its condition and the deposit."""
        data = s.CheckOutSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        actor = member_of(request)
        visible = bookings_visible_to(member_id=actor.pk, is_coordinator=actor.is_coordinator)
        booking = visible.filter(pk=values["booking"]).first()
        if booking is None:
            raise unknown_field("booking")
        loan = loan_check_out(
            booking=booking,
            actor=actor,
            now=self.now,
            check=CheckOut(condition=values["condition"], deposit=values.get("deposit")),
        )
        return self._respond(loan, status.HTTP_201_CREATED)

    @extend_schema(request=s.CheckInSerializer, responses=s.LoanSerializer)
    @action(detail=True, methods=["post"], url_path="check-in")
    def check_in(self, request: Request, pk: str | None = None) -> Response:
        """Coordinators: take a tool back, with its condition, damage and the deposit kept."""
        data = s.CheckInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        loan = loan_check_in(
            loan=self.get_object(),
            actor=member_of(request),
            now=self.now,
            check=CheckIn(
                condition=values["condition"],
                damage_report=values["damage_report"],
                deposit_kept=values["deposit_kept"],
            ),
        )
        return self._respond(loan)

    @extend_schema(request=s.WalkInSerializer, responses={201: s.LoanSerializer})
    @action(detail=False, methods=["post"], url_path="walk-in")
    def walk_in(self, request: Request) -> Response:
        """Coordinators: lend a free unit right away to someone without a reservation."""
        data = s.WalkInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        actor = member_of(request)
        tool = ToolType.objects.select_related("resource").filter(pk=values["tool"]).first()
        if tool is None:
            raise unknown_field("tool")
        unit = None
        if values.get("unit"):
            unit = Unit.objects.filter(resource_id=tool.resource_id, label=values["unit"]).first()
            if unit is None:
                message = errors.UnknownInventoryNumber.default_message
                raise errors.UnknownInventoryNumber(fields={"unit": [str(message)]})
        loan = loan_walk_in(
            tool=tool,
            member=resolve_member(actor, values["member"]),
            until=values["until"],
            actor=actor,
            now=self.now,
            check=CheckOut(condition=values["condition"], deposit=values.get("deposit")),
            unit=unit,
        )
        return self._respond(loan, status.HTTP_201_CREATED)


class ToolUnitViewSet(mixins.ListModelMixin, viewsets.GenericViewSet[Unit]):
    """Coordinators: the units behind the counter, found by inventory number; block a unit for
    repair or inspection and release it again."""

    serializer_class = s.ToolUnitSerializer
    permission_classes = [permissions.IsAuthenticated, IsCoordinator]

    @cached_property
    def now(self) -> datetime:
        return timezone.now()

    def get_queryset(self) -> QuerySet[Unit]:
        return tool_units_for_counter(now=self.now)

    def _respond(self, unit: Unit) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=unit.pk)).data)

    @extend_schema(parameters=[s.ToolUnitQuerySerializer])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        query = s.ToolUnitQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        values = query.validated_data
        units = self.get_queryset()
        if values.get("inventory"):
            units = units.filter(label__iexact=values["inventory"].strip())
        if values.get("tool") is not None:
            units = units.filter(resource__tool__pk=values["tool"])
        page = self.paginate_queryset(units)
        if page is None:
            return Response(self.get_serializer(units, many=True).data)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(request=s.BlockSerializer, responses=s.ToolUnitSerializer)
    @action(detail=True, methods=["post"])
    def block(self, request: Request, pk: str | None = None) -> Response:
        """Take the unit out of lending until it is released (repair or inspection)."""
        data = s.BlockSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        unit = self.get_object()
        unit_block(
            unit=unit,
            actor=member_of(request),
            now=self.now,
            reason=data.validated_data["reason"],
            note=data.validated_data["note"],
        )
        return self._respond(unit)

    @extend_schema(request=s.ReleaseSerializer, responses=s.ToolUnitSerializer)
    @action(detail=True, methods=["post"])
    def release(self, request: Request, pk: str | None = None) -> Response:
        """End the unit's repair or inspection block; it can be lent again."""
        data = s.ReleaseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        unit = self.get_object()
        unit_release(
            unit=unit,
            actor=member_of(request),
            now=self.now,
            condition=data.validated_data["condition"],
        )
        return self._respond(unit)


class RoomBookingViewSet(viewsets.GenericViewSet[Booking]):
    """Book a room for a purpose and a number of people."""

    serializer_class = s.RoomBookingSerializer
    queryset = Booking.objects.none()  # only creates; bookings are listed under bookings/

    @extend_schema(request=s.RoomBookingCreateSerializer, responses={201: s.RoomBookingSerializer})
    def create(self, request: Request) -> Response:
        data = s.RoomBookingCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        actor = member_of(request)
        booking = room_book(
            request=RoomRequest(
                resource=resolve_resource(values["resource"]),
                member=resolve_member(actor, values.get("member")),
                start=values["start"],
                end=values["end"],
                purpose=values["purpose"],
                expected_people=values["expected_people"],
                organisation=values["organisation"],
                note=values["note"],
            ),
            actor=actor,
            now=timezone.now(),
        )
        fresh = Booking.objects.select_related("resource", "unit", "member", "room_booking").get(
            pk=booking.pk
        )
        return Response(s.RoomBookingSerializer(fresh).data, status=status.HTTP_201_CREATED)
