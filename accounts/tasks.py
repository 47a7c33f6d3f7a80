import logging

from celery import shared_task
from django.utils import timezone

from accounts.services import credentials_clear_expired

log = logging.getLogger(__name__)


@shared_task(name="accounts.tasks.clear_expired_credentials")
def clear_expired_credentials() -> dict[str, int]:
    cleared = credentials_clear_expired(now=timezone.now())
    log.info("cleared %s expired sessions and %s tokens", cleared.sessions, cleared.tokens)
    return {"sessions": cleared.sessions, "tokens": cleared.tokens}
