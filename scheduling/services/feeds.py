"""Calendar feed tokens: issued (and thereby rotated) and revoked; only digests are kept."""

import hashlib
import secrets
from datetime import datetime

from django.db import transaction

from accounts.models import User
from scheduling import errors
from scheduling.models import FeedToken


def feed_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def feed_token_issue(*, member: User, actor: User, now: datetime, purpose: str = "calendar") -> str:
    """A new secret for the member's feed; the old one stops working at once."""
    if actor.pk != member.pk and not actor.is_coordinator:
        raise errors.NotYourBooking()
    FeedToken.objects.filter(member=member, purpose=purpose, revoked_at__isnull=True).update(
        revoked_at=now
    )
    key = secrets.token_urlsafe(32)
    FeedToken.objects.create(
        member=member, purpose=purpose, digest=feed_digest(key), created_at=now
    )
    return key


@transaction.atomic
def feed_token_revoke(
    *, member: User, actor: User, now: datetime, purpose: str = "calendar"
) -> int:
    if actor.pk != member.pk and not actor.is_coordinator:
        raise errors.NotYourBooking()
    return FeedToken.objects.filter(member=member, purpose=purpose, revoked_at__isnull=True).update(
        revoked_at=now
    )
