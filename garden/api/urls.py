from django.urls import path
from rest_framework.routers import SimpleRouter

from garden.api.hours_views import (
    HonorariumCsvView,
    HonorariumView,
    HourlyRateViewSet,
    HoursViewSet,
    VolunteerHoursCsvView,
)
from garden.api.stats_views import HoursStatsView
from garden.api.views import PlotApplicationViewSet, PlotViewSet, SeasonViewSet

router = SimpleRouter()
router.register("plots", PlotViewSet, basename="plot")
router.register("seasons", SeasonViewSet, basename="season")
router.register("plot-applications", PlotApplicationViewSet, basename="plot-application")
router.register("hours", HoursViewSet, basename="hours")
router.register("hourly-rates", HourlyRateViewSet, basename="hourly-rate")

urlpatterns = [
    path("honorarium/", HonorariumView.as_view(), name="honorarium"),
    path("honorarium/csv/", HonorariumCsvView.as_view(), name="honorarium-csv"),
    path("volunteer-hours/csv/", VolunteerHoursCsvView.as_view(), name="volunteer-hours-csv"),
    path("stats/hours/", HoursStatsView.as_view(), name="stats-hours"),
    *router.urls,
]
