from django.urls import path

from garden.views import honorarium_page, honorarium_this_month

app_name = "garden"

urlpatterns = [
    path("honorar/", honorarium_this_month, name="honorarium-now"),
    path("honorar/<int:year>/<int:month>/", honorarium_page, name="honorarium"),
]
