from rest_framework.routers import SimpleRouter

from werkhaus.api.views import LoanViewSet, RoomBookingViewSet, ToolUnitViewSet, ToolViewSet

router = SimpleRouter()
router.register("tools", ToolViewSet, basename="tool")
router.register("tool-units", ToolUnitViewSet, basename="tool-unit")
router.register("loans", LoanViewSet, basename="loan")
router.register("rooms/bookings", RoomBookingViewSet, basename="room-booking")

urlpatterns = router.urls
