"""Counts failed logins per account and per client address in the cache.

Used by the authentication backend (so the admin, the login page and the API share it)
and by the token view, which answers 429 while an account or address is locked.
"""

import hashlib
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


@dataclass(frozen=True)
class Keys:
    account: str
    address: str


def client_address(request: HttpRequest | None) -> str:
    if request is None:
        return "unknown"
    return str(request.META.get("REMOTE_ADDR") or "unknown")


def _keys(username: str | None, address: str) -> Keys:
    account = hashlib.sha256((username or "").strip().lower().encode()).hexdigest()[:32]
    return Keys(account=f"login-fail:acct:{account}", address=f"login-fail:addr:{address}")


def is_locked(username: str | None, address: str) -> bool:
    keys = _keys(username, address)
    counts = cache.get_many([keys.account, keys.address])
    limit = settings.LOGIN_FAILURE_LIMIT
    return any(int(value) >= limit for value in counts.values())


def record_failure(username: str | None, address: str) -> None:
    window = settings.LOGIN_FAILURE_WINDOW_SECONDS
    now = time.time()
    for key in (_keys(username, address).account, _keys(username, address).address):
        # add() starts the window; incr() counts within it.
        if cache.add(key, 1, timeout=window):
            cache.set(f"{key}:since", now, timeout=window)
            continue
        try:
            cache.incr(key)
        except ValueError:  # the window ended between add() and incr()
            cache.add(key, 1, timeout=window)
            cache.set(f"{key}:since", now, timeout=window)
            continue
        # Redis keeps a key's expiry on INCR, but the file and database caches write the value
        # anew with their default timeout: set the rest of the window again, so that the lock
        # ends when the window does on every cache.
        since = float(cache.get(f"{key}:since", now))
        cache.touch(key, timeout=max(1, math.ceil(since + window - now)))


def record_success(username: str | None, address: str) -> None:
    cache.delete(_keys(username, address).account)


def retry_after_seconds() -> int:
    return int(settings.LOGIN_FAILURE_WINDOW_SECONDS)
