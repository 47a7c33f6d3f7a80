from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from core.api.errors import api_not_found
from core.views import healthz

api_v1 = [
    path("", include("accounts.api.urls")),
    path("", include("scheduling.api.urls")),
    path("", include("werkhaus.api.urls")),
    path("", include("garden.api.urls")),
]

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", include((api_v1, "api"), namespace="v1")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    # Anything else under /api/ is a JSON 404 in the error format, never an HTML page.
    re_path(r"^api/", api_not_found),
    path("ical/", include("scheduling.ical_urls")),
    path("admin/", admin.site.urls),
    path("i18n/setlang/", set_language, name="set_language"),
    path("accounts/", include("accounts.urls")),
    path("garten/", include("garden.urls")),
    path("koordination/", include("core.coordination_urls")),
    path("", include("scheduling.page_urls")),
    path("", include("werkhaus.page_urls")),
    path("", include("core.urls")),
]

handler500 = "core.api.errors.server_error"

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
