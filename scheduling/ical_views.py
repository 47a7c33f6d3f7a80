"""The calendar feeds over HTTP: text/calendar with ETag, 304 when unchanged; a member feed
behind a secret token (an unknown or revoked token is a plain 404, like any missing page)."""

import hashlib
from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation
from django.views.decorators.http import require_GET

from scheduling.feeds import member_feed, programme_feed, resource_feed
from scheduling.models import FeedToken, Resource
from scheduling.services.feeds import feed_digest


def _respond(request: HttpRequest, build: Callable[[], bytes]) -> HttpResponse:
    body = build()
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    if etag in request.headers.get("If-None-Match", ""):
        response: HttpResponse = HttpResponseNotModified()
    else:
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["ETag"] = etag
    response["Cache-Control"] = "private, max-age=300"
    return response


@require_GET
def programme(request: HttpRequest) -> HttpResponse:
    return _respond(request, lambda: programme_feed(kind="workshop", now=timezone.now()))


@require_GET
def shifts(request: HttpRequest) -> HttpResponse:
    return _respond(
        request, lambda: programme_feed(kind="shift", now=timezone.now(), open_only=True)
    )


@require_GET
def resource(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Resource, pk=pk, is_active=True)
    return _respond(request, lambda: resource_feed(resource=found, now=timezone.now()))


@require_GET
def member(request: HttpRequest, token: str) -> HttpResponse:
    found = (
        FeedToken.objects.select_related("member")
        .filter(digest=feed_digest(token), revoked_at__isnull=True, member__is_active=True)
        .first()
    )
    if found is None:
        raise Http404
    with translation.override(found.member.preferred_language):
        return _respond(request, lambda: member_feed(member_id=found.member_id, now=timezone.now()))
