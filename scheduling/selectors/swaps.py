"""Swap offers still open: the one definition the API, the shift pages and "my dates" share."""

from datetime import datetime

from django.db.models import QuerySet

from scheduling.models import SwapOffer, SwapStatus


def open_swap_offers(*, now: datetime) -> QuerySet[SwapOffer]:
    """Offers nobody has taken or withdrawn, for dates that have not begun."""
    return SwapOffer.objects.filter(status=SwapStatus.OPEN, signup__slot__start__gt=now)
