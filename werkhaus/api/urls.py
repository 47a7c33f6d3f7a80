from django.urls import path
from rest_framework.routers import SimpleRouter

from werkhaus.api.stats_views import LoanStatsView
from werkhaus.api.views import LoanViewSet, RoomBookingViewSet, ToolUnitViewSet, ToolViewSet

router = SimpleRouter()
router.register("tools", ToolViewSet, basename="tool")
router.register("tool-units", ToolUnitViewSet, basename="tool-unit")
router.register("loans", LoanViewSet, basename="loan")
router.register("rooms/bookings", RoomBookingViewSet, basename="room-booking")

urlpatterns = [
    path("stats/loans/", LoanStatsView.as_view(), name="stats-loans"),
    *router.urls,
]
