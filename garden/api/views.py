"""Thin API views of the garden's plots: parse, call a service with ``now``, serialise."""

from typing import Any

import django_filters
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.filters import IdFilter
from garden.api import serializers as s
from garden.models import Plot, PlotApplication, Season
from garden.services.plots import (
    application_prioritise,
    plot_allocate,
    plot_offer,
    plot_offer_accept,
    plot_offer_decline,
    plot_renew,
    season_apply,
    season_span,
    waiting_list,
)
from scheduling.api.permissions import IsCoordinator
from scheduling.api.serializers import BookingSerializer
from scheduling.api.views import member_of, resolve_member, unknown_field
from scheduling.models import OCCUPYING_STATUSES


def _season(season_id: int) -> Season:
    season = Season.objects.filter(pk=season_id).first()
    if season is None:
        raise unknown_field("season")
    return season


def _plot(plot_id: int) -> Plot:
    plot = Plot.objects.select_related("resource").filter(pk=plot_id).first()
    if plot is None:
        raise unknown_field("plot")
    return plot


class SeasonViewSet(viewsets.ReadOnlyModelViewSet[Season]):
    """Garden seasons, newest first. Public."""

    serializer_class = s.SeasonSerializer
    permission_classes = [permissions.AllowAny]
    queryset = Season.objects.order_by("-starts_on", "pk")


class PlotViewSet(viewsets.ReadOnlyModelViewSet[Plot]):
    """The plots with their place on the garden map. Public: how many households are free,
    never who holds a plot."""

    serializer_class = s.PlotSerializer
    permission_classes = [permissions.AllowAny]

    def get_queryset(self) -> QuerySet[Plot]:
        plots = (
            Plot.objects.filter(resource__is_active=True)
            .select_related("resource")
            .annotate(
                households=Count(
                    "resource__units", filter=Q(resource__units__is_active=True), distinct=True
                )
            )
            .order_by("number")
        )
        reads = self.action in ("list", "retrieve")
        if not reads or not self.request.query_params.get("season"):  # absent or sent empty
            return plots
        query = s.PlotQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        start, end = season_span(_season(query.validated_data["season"]))
        taken = Q(
            resource__bookings__status__in=OCCUPYING_STATUSES,
            resource__bookings__start__lt=end,
            resource__bookings__end__gt=start,
        )
        return plots.annotate(taken=Count("resource__bookings", filter=taken, distinct=True))

    @extend_schema(parameters=[s.PlotQuerySerializer])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(parameters=[s.PlotQuerySerializer])
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(request=s.RenewSerializer, responses={201: BookingSerializer})
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def renew(self, request: Request, pk: str | None = None) -> Response:
        """Last season's holder keeps the plot for the next season, before the deadline."""
        data = s.RenewSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        actor = member_of(request)
        booking = plot_renew(
            plot=self.get_object(),
            season=_season(values["season"]),
            member=resolve_member(actor, values.get("member")),
            actor=actor,
            now=timezone.now(),
        )
        return Response(BookingSerializer(booking).data, status=status.HTTP_201_CREATED)


class PlotApplicationFilter(django_filters.FilterSet):
    season = IdFilter()
    member = IdFilter()

    class Meta:
        model = PlotApplication
        fields = ["season", "status", "member"]


class PlotApplicationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[PlotApplication]
):
    """Applications for a plot: your own; coordinators see, order and answer everybody's."""

    serializer_class = s.PlotApplicationSerializer
    filterset_class = PlotApplicationFilter

    def get_queryset(self) -> QuerySet[PlotApplication]:
        applications = PlotApplication.objects.select_related(
            "season", "member", "offered_plot"
        ).order_by("-season__starts_on", "-priority", "created_at", "pk")
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return applications.none()
        member = member_of(self.request)
        return applications if member.is_coordinator else applications.filter(member_id=member.pk)

    def _respond(self, application: PlotApplication) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=application.pk)).data)

    @extend_schema(
        request=s.PlotApplicationCreateSerializer, responses={201: s.PlotApplicationSerializer}
    )
    def create(self, request: Request) -> Response:
        data = s.PlotApplicationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        actor = member_of(request)
        application = season_apply(
            season=_season(values["season"]),
            member=resolve_member(actor, values.get("member")),
            actor=actor,
            now=timezone.now(),
            wishes=values["wishes"],
        )
        response = self._respond(application)
        response.status_code = status.HTTP_201_CREATED
        return response

    @extend_schema(request=None, responses=s.PlotApplicationSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str | None = None) -> Response:
        """Accept the plot offered to you; it is yours for the season."""
        application = self.get_object()
        plot_offer_accept(application=application, actor=member_of(request), now=timezone.now())
        return self._respond(application)

    @extend_schema(request=None, responses=s.PlotApplicationSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: str | None = None) -> Response:
        """Decline the plot offered to you; it goes to the next in line."""
        application = self.get_object()
        plot_offer_decline(application=application, actor=member_of(request), now=timezone.now())
        return self._respond(application)

    @extend_schema(request=s.PlotChoiceSerializer, responses=s.PlotApplicationSerializer)
    @action(detail=True, methods=["post"])
    def offer(self, request: Request, pk: str | None = None) -> Response:
        """Coordinators: offer a plot; the applicant has the season's offer days to accept."""
        data = s.PlotChoiceSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        application = plot_offer(
            application=self.get_object(),
            plot=_plot(data.validated_data["plot"]),
            actor=member_of(request),
            now=timezone.now(),
        )
        return self._respond(application)

    @extend_schema(request=s.PlotChoiceSerializer, responses=s.PlotApplicationSerializer)
    @action(detail=True, methods=["post"])
    def allocate(self, request: Request, pk: str | None = None) -> Response:
        """Coordinators: give a plot to the applicant right away."""
        data = s.PlotChoiceSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        application = self.get_object()
        plot_allocate(
            application=application,
            plot=_plot(data.validated_data["plot"]),
            actor=member_of(request),
            now=timezone.now(),
        )
        return self._respond(application)

    @extend_schema(request=s.PrioritySerializer, responses=s.PlotApplicationSerializer)
    @action(detail=True, methods=["post"])
    def prioritise(self, request: Request, pk: str | None = None) -> Response:
        """Coordinators: move an application up (or down) the waiting list, with a reason."""
        data = s.PrioritySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        application = application_prioritise(
            application=self.get_object(),
            priority=data.validated_data["priority"],
            reason=data.validated_data["reason"],
            actor=member_of(request),
            now=timezone.now(),
        )
        return self._respond(application)

    @extend_schema(
        parameters=[s.SeasonQuerySerializer], responses=s.PlotApplicationSerializer(many=True)
    )
    @action(
        detail=False,
        methods=["get"],
        url_path="waiting-list",
        url_name="waiting-list",
        permission_classes=[permissions.IsAuthenticated, IsCoordinator],
        filterset_class=None,
        pagination_class=None,
    )
    def waiting(self, request: Request) -> Response:
        """Coordinators: the season's waiting applications in the order offers go out (higher
        priority first, then first come); the first in the list is next."""
        query = s.SeasonQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        waiting = waiting_list(_season(query.validated_data["season"]))
        return Response(self.get_serializer(waiting, many=True).data)
