from django.urls import path

from scheduling import ical_views

app_name = "ical"

urlpatterns = [
    path("program.ics", ical_views.programme, name="programme"),
    path("shifts.ics", ical_views.shifts, name="shifts"),
    path("resources/<int:pk>.ics", ical_views.resource, name="resource"),
    path("u/<str:token>.ics", ical_views.member, name="member"),
]
