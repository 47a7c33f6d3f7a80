"""The calendar feeds over HTTP: text/calendar with ETag and Last-Modified; a member feed
behind a secret token (an unknown or revoked token is a plain 404, like any missing page).

Revalidation is cheap: the feed's fingerprint (one query; a member feed's token lookup is one
more) gives the ETag, and an unchanged feed answers 304 without being built. A changed one is
built once and cached under its fingerprint, so any change of what it depends on is a new key.
"""

import logging
from collections.abc import Callable

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.views.decorators.http import require_GET

from scheduling.feeds import member_feed, programme_feed, resource_feed
from scheduling.models import FeedToken, Resource
from scheduling.selectors.feeds import (
    Fingerprint,
    member_fingerprint,
    programme_fingerprint,
    resource_fingerprint,
)
from scheduling.services.feeds import feed_digest

log = logging.getLogger(__name__)

# A fingerprint holds for a day at most (the window moves at midnight); keep a little longer.
CACHE_SECONDS = 26 * 3600


def _body(fingerprint: Fingerprint, build: Callable[[], bytes]) -> bytes:
    """The cached feed, built on a miss. The cache helps; a cache that is down does not fail
    the feed, it only costs a build."""
    key = f"ical:{fingerprint.digest}"
    try:
        cached = cache.get(key)
    except Exception:
        log.warning("calendar feed cache unavailable", exc_info=True)
        return build()
    if isinstance(cached, bytes):
        return cached
    body = build()
    try:
        cache.set(key, body, CACHE_SECONDS)
    except Exception:
        log.warning("calendar feed cache unavailable", exc_info=True)
    return body


def _respond(
    request: HttpRequest, fingerprint: Fingerprint, build: Callable[[], bytes]
) -> HttpResponse:
    changed = int(fingerprint.last_modified.timestamp())
    # None when the client's copy is stale (or it has none); else the 304 (or a 412).
    response = get_conditional_response(request, etag=fingerprint.etag, last_modified=changed)
    if response is None:
        body = _body(fingerprint, build)
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["ETag"] = fingerprint.etag
    response["Last-Modified"] = http_date(changed)
    response["Cache-Control"] = "private, max-age=300"
    return response


@require_GET
def programme(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    return _respond(
        request,
        programme_fingerprint(kind="workshop", now=now),
        lambda: programme_feed(kind="workshop", now=now),
    )


@require_GET
def shifts(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    return _respond(
        request,
        programme_fingerprint(kind="shift", now=now, open_only=True),
        lambda: programme_feed(kind="shift", now=now, open_only=True),
    )


@require_GET
def resource(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Resource, pk=pk, is_active=True)
    now = timezone.now()
    return _respond(
        request,
        resource_fingerprint(resource=found, now=now),
        lambda: resource_feed(resource=found, now=now),
    )


@require_GET
def member(request: HttpRequest, token: str) -> HttpResponse:
    found = (
        FeedToken.objects.select_related("member")
        .filter(digest=feed_digest(token), revoked_at__isnull=True, member__is_active=True)
        .first()
    )
    if found is None:
        raise Http404
    now = timezone.now()
    with translation.override(found.member.preferred_language):
        return _respond(
            request,
            member_fingerprint(member_id=found.member_id, now=now),
            lambda: member_feed(member_id=found.member_id, now=now),
        )
