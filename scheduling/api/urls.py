from rest_framework.routers import SimpleRouter

from scheduling.api.views import BookingViewSet, ResourceViewSet, WaitlistViewSet

router = SimpleRouter()
router.register("resources", ResourceViewSet, basename="resource")
router.register("bookings", BookingViewSet, basename="booking")
router.register("waitlist", WaitlistViewSet, basename="waitlist")

urlpatterns = router.urls
