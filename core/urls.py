from django.urls import path

from core.views import start_page

app_name = "core"

urlpatterns = [
    path("", start_page, name="start"),
]
