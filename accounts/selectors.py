from datetime import datetime

from accounts.models import ApiToken
from accounts.services import token_digest


def api_token_find_valid(*, key: str, now: datetime) -> ApiToken | None:
    return (
        ApiToken.objects.select_related("user")
        .filter(digest=token_digest(key), expires_at__gt=now, user__is_active=True)
        .first()
    )
