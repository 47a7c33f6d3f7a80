from django.urls import path

from werkhaus import pages

app_name = "werkhaus"

urlpatterns = [
    path("werkzeuge/", pages.tools_page, name="tools"),
    path("buchungen/<int:pk>/", pages.booking_page, name="booking"),
    path("meine/buchungen/", pages.my_bookings_page, name="my-bookings"),
    path("programm/", pages.programme_page, name="programme"),
    path(
        "programm/<int:event_id>/<str:original>/",
        pages.occurrence_page,
        name="occurrence",
    ),
]
