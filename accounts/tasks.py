import logging

from celery import shared_task
from django.utils import timezone

from accounts.services import credentials_clear_expired, members_anonymise_inactive

log = logging.getLogger(__name__)


@shared_task(name="accounts.tasks.clear_expired_credentials")
def clear_expired_credentials() -> dict[str, int]:
    cleared = credentials_clear_expired(now=timezone.now())
    log.info("cleared %s expired sessions and %s tokens", cleared.sessions, cleared.tokens)
    return {"sessions": cleared.sessions, "tokens": cleared.tokens}


@shared_task(name="accounts.tasks.anonymise_inactive_members")
def anonymise_inactive_members() -> int:
    done = members_anonymise_inactive(now=timezone.now())
    log.info("anonymised %s inactive members", done)
    return done
