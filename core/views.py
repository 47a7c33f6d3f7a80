from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.models import User
from core import health
from core.selectors import start_page as start_page_data


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database and the broker answer, else 503 naming the failing part."""
    checks = {"database": health.check_database(), "broker": health.check_broker()}
    healthy = all(value == "ok" for value in checks.values())
    body: dict[str, str] = {**checks}
    if checks["database"] == "ok":
        body["jobs"] = health.check_jobs(now=timezone.now())
    body["status"] = "ok" if healthy else "unavailable"
    return JsonResponse(body, status=200 if healthy else 503)


@require_GET
def start_page(request: HttpRequest) -> HttpResponse:
    """What is on today, a search for tools, and my next bookings and dates."""
    member = request.user if isinstance(request.user, User) else None
    start = start_page_data(member=member, now=timezone.now())
    return render(request, "core/start.html", {"start": start})
