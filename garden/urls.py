from django.urls import path

from garden.views import garden_map_page, honorarium_page, honorarium_this_month

app_name = "garden"

urlpatterns = [
    path("karte/", garden_map_page, name="map"),
    path("honorar/", honorarium_this_month, name="honorarium-now"),
    path("honorar/<int:year>/<int:month>/", honorarium_page, name="honorarium"),
]
