"""Calendar feed tokens: issued (and thereby rotated) and revoked; only digests are kept."""

import secrets
from datetime import datetime

from django.db import transaction

from accounts.models import User
from accounts.services import token_digest
from scheduling.models import FeedToken
from scheduling.services.access import require_self_or_coordinator


def feed_digest(key: str) -> str:
    """Stored like API tokens: only the SHA-256 digest."""
    return token_digest(key)


@transaction.atomic
def feed_token_issue(*, member: User, actor: User, now: datetime, purpose: str = "calendar") -> str:
    """A new secret for the member's feed; the old one stops working at once."""
    require_self_or_coordinator(actor, member.pk)
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
    require_self_or_coordinator(actor, member.pk)
    return FeedToken.objects.filter(member=member, purpose=purpose, revoked_at__isnull=True).update(
        revoked_at=now
    )
