from django.urls import path

from core import my_data
from scheduling import pages, shift_pages

app_name = "scheduling"

urlpatterns = [
    path("ressourcen/<int:pk>/", pages.resource_page, name="resource"),
    path("meine/termine/", pages.my_dates_page, name="my-dates"),
    path("meine/einstellungen/", pages.settings_page, name="settings"),
    path("meine/daten/", my_data.my_data_page, name="my-data"),
    path("meine/daten/export/", my_data.my_data_export, name="my-data-export"),
    path("schichten/", shift_pages.shifts_page, name="shifts"),
    path("schichten/<int:event_id>/<str:original>/", shift_pages.shift_page, name="shift"),
]
