from django.urls import path

from garden.views import (
    garden_map_page,
    honorarium_page,
    honorarium_this_month,
    my_garden_page,
    my_hours_page,
)

app_name = "garden"

urlpatterns = [
    path("", my_garden_page, name="mine"),
    path("karte/", garden_map_page, name="map"),
    path("stunden/", my_hours_page, name="hours"),
    path("honorar/", honorarium_this_month, name="honorarium-now"),
    path("honorar/<int:year>/<int:month>/", honorarium_page, name="honorarium"),
]
