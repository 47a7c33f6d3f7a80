from django.urls import path
from rest_framework.routers import SimpleRouter

from scheduling.api.activity_views import OccurrenceViewSet, SignUpViewSet, SwapViewSet
from scheduling.api.feed_views import CalendarTokenView, RemindersView
from scheduling.api.participation_views import PeopleStatsView, ProgrammeStatsView
from scheduling.api.stats_views import DemandStatsView, UtilisationStatsView
from scheduling.api.views import BookingViewSet, ResourceViewSet, WaitlistViewSet

router = SimpleRouter()
router.register("resources", ResourceViewSet, basename="resource")
router.register("bookings", BookingViewSet, basename="booking")
router.register("waitlist", WaitlistViewSet, basename="waitlist")
router.register("occurrences", OccurrenceViewSet, basename="occurrence")
router.register("signups", SignUpViewSet, basename="signup")
router.register("swaps", SwapViewSet, basename="swap")

urlpatterns = [
    path("me/calendar-token/", CalendarTokenView.as_view(), name="calendar-token"),
    path("me/reminders/", RemindersView.as_view(), name="reminders"),
    path("stats/utilisation/", UtilisationStatsView.as_view(), name="stats-utilisation"),
    path("stats/demand/", DemandStatsView.as_view(), name="stats-demand"),
    path("stats/programme/", ProgrammeStatsView.as_view(), name="stats-programme"),
    path("stats/people/", PeopleStatsView.as_view(), name="stats-people"),
    *router.urls,
]
