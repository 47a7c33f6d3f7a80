"""Thin API views of the garden's hours, rates and reports: parse, call a service, serialise.

Rates and the honorarium are about pay: coordinators only, everybody else gets 403.
"""

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import BaseParser
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from garden.api import exports
from garden.api import serializers as s
from garden.models import HourlyRate, HoursEntry
from garden.services.hours import (
    honorarium_report,
    hours_decide,
    hours_log,
    rate_set,
    volunteer_hours,
)
from scheduling import errors as engine_errors
from scheduling.api.permissions import IsCoordinator
from scheduling.api.views import member_of, resolve_member, unknown_field


class HoursViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[HoursEntry]
):
    """The hours log: your own entries; coordinators see everybody's and decide them."""

    serializer_class = s.HoursEntrySerializer

    def get_queryset(self) -> QuerySet[HoursEntry]:
        entries = HoursEntry.objects.select_related("member").order_by("-day", "-pk")
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return entries.none()
        member = member_of(self.request)
        return entries if member.is_coordinator else entries.filter(member_id=member.pk)

    @extend_schema(parameters=[s.HoursQuerySerializer])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        query = s.HoursQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        values = query.validated_data
        entries = self.get_queryset()
        if values.get("member") is not None:
            entries = entries.filter(member_id=values["member"])
        if values.get("status"):
            entries = entries.filter(status=values["status"])
        if values["paid"] is not None:
            entries = entries.filter(paid=values["paid"])
        if values.get("from") is not None:
            entries = entries.filter(day__gte=values["from"])
        if values.get("to") is not None:
            entries = entries.filter(day__lte=values["to"])
        page = self.paginate_queryset(entries)
        if page is None:
            return Response(self.get_serializer(entries, many=True).data)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(request=s.HoursLogSerializer, responses={201: s.HoursEntrySerializer})
    def create(self, request: Request) -> Response:
        """Log work done outside a shift; a coordinator approves it."""
        data = s.HoursLogSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        actor = member_of(request)
        entry = hours_log(
            member=resolve_member(actor, values.get("member")),
            day=values["day"],
            minutes=values["minutes"],
            activity=values["activity"],
            note=values["note"],
            actor=actor,
            now=timezone.now(),
        )
        return Response(self.get_serializer(entry).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.HoursDecideSerializer, responses=s.HoursEntrySerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str | None = None) -> Response:
        """Coordinators: approve (correcting the minutes if need be) or reject."""
        data = s.HoursDecideSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entry = hours_decide(
            entry=self.get_object(),
            actor=member_of(request),
            now=timezone.now(),
            approve=data.validated_data["approve"],
            minutes=data.validated_data.get("minutes"),
            reason=data.validated_data["reason"],
        )
        return Response(self.get_serializer(entry).data)


class HourlyRateViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[HourlyRate]
):
    """Coordinators: honorary workers' rates with their history. Private to coordinators."""

    serializer_class = s.HourlyRateSerializer
    permission_classes = [permissions.IsAuthenticated, IsCoordinator]

    def get_queryset(self) -> QuerySet[HourlyRate]:
        return HourlyRate.objects.select_related("member").order_by(
            "member__display_name", "member_id", "-valid_from"
        )

    @extend_schema(parameters=[s.MemberQuerySerializer])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        query = s.MemberQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        rates = self.get_queryset()
        if query.validated_data.get("member") is not None:
            rates = rates.filter(member_id=query.validated_data["member"])
        page = self.paginate_queryset(rates)
        if page is None:
            return Response(self.get_serializer(rates, many=True).data)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(request=s.HourlyRateCreateSerializer, responses={201: s.HourlyRateSerializer})
    def create(self, request: Request) -> Response:
        """Set the rate from a day on; the same day again replaces that day's rate."""
        data = s.HourlyRateCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        member = User.objects.filter(pk=values["member"]).first()
        if member is None:
            raise unknown_field("member")
        rate = rate_set(
            member=member,
            valid_from=values["valid_from"],
            euros=values["euros"],
            actor=member_of(request),
            now=timezone.now(),
        )
        return Response(self.get_serializer(rate).data, status=status.HTTP_201_CREATED)


class HonorariumView(APIView):
    """Coordinators: the month's honorarium per honorary worker, each entry at its day's rate,
    rounded to the cent; hours without a valid rate are listed, never guessed."""

    permission_classes = [permissions.IsAuthenticated, IsCoordinator]

    @extend_schema(parameters=[s.MonthQuerySerializer], responses=s.HonorariumSerializer)
    def get(self, request: Request) -> Response:
        query = s.MonthQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        report = honorarium_report(**query.validated_data)
        body = {
            "year": report.year,
            "month": report.month,
            "minutes": report.minutes,
            "total": report.total,
            "people": report.people,
            "missing_rates": [
                {"member": member.pk, "name": str(member), "day": day}
                for member, day in report.missing_rates
            ],
        }
        return Response(s.HonorariumSerializer(body).data)


class _JsonUnlessCsv(BaseContentNegotiation):
    """The CSV is written by hand; errors stay JSON whatever the client's Accept header says
    (without this, ``Accept: text/csv`` would be refused before the view even runs)."""

    def select_parser(self, request: Request, parsers: Iterable[BaseParser]) -> BaseParser | None:
        return next(iter(parsers), None)

    def select_renderer(
        self, request: Request, renderers: Iterable[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        renderer = next(iter(renderers))
        return renderer, str(renderer.media_type)


class _CsvView(APIView):
    permission_classes = [permissions.IsAuthenticated, IsCoordinator]
    content_negotiation_class = _JsonUnlessCsv


class HonorariumCsvView(_CsvView):
    """Coordinators: the month's honorarium as CSV for Excel or LibreOffice in German —
    UTF-8 with a byte order mark, ``;`` between cells, a decimal comma; one row per entry
    (name; date; activity; minutes; hourly rate; amount), a subtotal row per person and the
    total last. The header is in the request's language."""

    @extend_schema(
        parameters=[s.MonthQuerySerializer], responses={(200, "text/csv"): OpenApiTypes.STR}
    )
    def get(self, request: Request) -> HttpResponse:
        query = s.MonthQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        year, month = query.validated_data["year"], query.validated_data["month"]
        report = honorarium_report(year=year, month=month)
        return exports.csv_response(
            exports.honorarium_rows(report), filename=f"honorarium-{year:04d}-{month:02d}.csv"
        )


class VolunteerHoursCsvView(_CsvView):
    """Coordinators: approved voluntary hours per person, month and activity, as CSV for
    Excel or LibreOffice in German (BOM, ``;``, decimal comma), for funding reports."""

    @extend_schema(
        parameters=[s.PeriodQuerySerializer], responses={(200, "text/csv"): OpenApiTypes.STR}
    )
    def get(self, request: Request) -> HttpResponse:
        query = s.PeriodQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        first, last = query.validated_data["from"], query.validated_data["to"]
        if last < first:
            raise engine_errors.InvalidRange()
        rows = volunteer_hours(first=first, last=last)
        return exports.csv_response(
            exports.volunteer_rows(rows),
            filename=f"volunteer-hours-{first.isoformat()}-{last.isoformat()}.csv",
        )
