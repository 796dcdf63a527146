"""Brute-force protection of every login (site admins and the console).

Failures are counted in Redis (cache keys carry the schema, so each site and the console
count apart) under three keys, with the client address read by ``portal.client_ip``:

- the (account, address) pair: after ``LOGIN_FAILURE_LIMIT`` failures within
  ``LOGIN_LOCKOUT_SECONDS`` that account cannot log in *from that address*, even with the
  right password, until the period has passed.  The holder of the account, elsewhere, is
  not affected: a stranger cannot lock a real user out;
- the address: after ``LOGIN_ADDRESS_FAILURE_LIMIT`` failures across any accounts, every
  login from that address is refused for ``LOGIN_LOCKOUT_SECONDS`` (one address cannot
  spray many accounts);
- the account, from anywhere: a much higher cap (``LOGIN_ACCOUNT_FAILURE_LIMIT``) with a
  short cool-down (``LOGIN_ACCOUNT_COOLDOWN_SECONDS``), logged, against a password
  guessed from many addresses at once.

A successful login clears the pair's count (never the address's: one good account must
not reset a spray); for an account with two-factor authentication only a successful
second step does (wrong codes count as failures too, see ``forms.OTPCodeForm``).
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from portal.client_ip import client_ip

logger = logging.getLogger(__name__)

LIMIT = getattr(settings, "LOGIN_FAILURE_LIMIT", 5)
SECONDS = getattr(settings, "LOGIN_LOCKOUT_SECONDS", 15 * 60)
ADDRESS_LIMIT = getattr(settings, "LOGIN_ADDRESS_FAILURE_LIMIT", 20)
ACCOUNT_LIMIT = getattr(settings, "LOGIN_ACCOUNT_FAILURE_LIMIT", 100)
ACCOUNT_COOLDOWN = getattr(settings, "LOGIN_ACCOUNT_COOLDOWN_SECONDS", 5 * 60)

# The beginning of every refusal (tests and templates look for these).
LOCKED_MESSAGE = "Tài khoản tạm khoá do đăng nhập sai nhiều lần."
ADDRESS_LOCKED_MESSAGE = (
    "Máy của bạn tạm bị chặn đăng nhập do đã nhập sai nhiều lần với nhiều tài khoản."
)
ACCOUNT_LOCKED_MESSAGE = (
    "Tài khoản tạm khoá vì có rất nhiều lần đăng nhập sai từ nhiều nơi khác nhau."
)
PAIR, ADDRESS, ACCOUNT = "pair", "address", "account"
_MESSAGES = {PAIR: LOCKED_MESSAGE, ADDRESS: ADDRESS_LOCKED_MESSAGE, ACCOUNT: ACCOUNT_LOCKED_MESSAGE}


@dataclass(frozen=True)
class Lock:
    """A refusal in force: which kind, and until when (a UNIX time)."""

    kind: str
    until: float

    @property
    def minutes(self) -> int:
        return max(1, math.ceil((self.until - time.time()) / 60))

    @property
    def message(self) -> str:
        at = timezone.localtime(datetime.fromtimestamp(self.until, tz=UTC)).strftime("%H:%M")
        return (
            f"{_MESSAGES[self.kind]} Vui lòng thử lại sau {self.minutes} phút (sau {at}) "
            "hoặc liên hệ quản trị trang."
        )


def _digest(value: str) -> str:
    """Usernames are hashed in keys: any length or character, a bounded key."""
    return hashlib.blake2b(value.encode("utf-8", "replace"), digest_size=12).hexdigest()


def _user(username: str | None) -> str:
    return _digest((username or "").strip().lower())


def _address(request) -> str:
    return (client_ip(request) if request is not None else "") or "unknown"


def _keys(request, username: str | None) -> dict[str, str]:
    user, address = _user(username), _address(request)
    return {
        PAIR: f"login-failures:pair:{user}:{address}",
        ADDRESS: f"login-failures:address:{address}",
        ACCOUNT: f"login-failures:account:{user}",
    }


def _lock_key(count_key: str) -> str:
    return count_key.replace("login-failures:", "login-locked:", 1)


def lock_for(request, username: str | None) -> Lock | None:
    """The refusal that applies to ``username`` logging in from ``request``'s address."""
    keys = _keys(request, username)
    found = cache.get_many([_lock_key(key) for key in keys.values()])
    for kind in (ADDRESS, PAIR, ACCOUNT):
        until = found.get(_lock_key(keys[kind]))
        if until is not None and float(until) > time.time():
            return Lock(kind, float(until))
    return None


def is_locked(request, username: str | None) -> bool:
    return lock_for(request, username) is not None


def _count(key: str, limit: int, window: int, lock_seconds: int) -> bool:
    """One more failure under ``key``; True when it reached ``limit`` (the lock is set)."""
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    if count < limit:
        return False
    # add, not set: a lock already in force keeps its end (no extension by more tries).
    cache.add(_lock_key(key), time.time() + lock_seconds, timeout=lock_seconds)
    cache.delete(key)
    return True


def record_failure(request, username: str | None) -> None:
    """A wrong password (or second-step code) for ``username`` from ``request``'s address."""
    if lock_for(request, username) is not None:
        return  # refused anyway; more tries neither count nor extend the lock
    keys = _keys(request, username)
    address = _address(request)
    if _count(keys[ADDRESS], ADDRESS_LIMIT, SECONDS, SECONDS):
        logger.warning("login: address %s locked after %s failures", address, ADDRESS_LIMIT)
    _count(keys[PAIR], LIMIT, SECONDS, SECONDS)
    if _count(keys[ACCOUNT], ACCOUNT_LIMIT, SECONDS, ACCOUNT_COOLDOWN):
        logger.warning(
            "login: account %r refused for %s s after %s failures from many addresses",
            (username or "")[:150],
            ACCOUNT_COOLDOWN,
            ACCOUNT_LIMIT,
        )


def forget_failures(request, username: str | None) -> None:
    """The account logged in from this address: its count there starts again."""
    cache.delete(_keys(request, username)[PAIR])


def _on_login_failed(sender, credentials, request=None, **kwargs):
    record_failure(request, credentials.get("username", ""))


def _on_logged_in(sender, request, user, **kwargs):
    from .two_factor import is_enrolled

    if is_enrolled(user) and not getattr(user, "otp_device", None):
        return  # the password was right; the code is still to come
    forget_failures(request, user.get_username())


class LockoutModelBackend(ModelBackend):
    """Django's model backend that refuses a locked-out login before checking passwords."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is not None:
            lock = lock_for(request, username)
            if lock is not None:
                # PermissionDenied stops authentication at once (no other backend is asked).
                raise PermissionDenied(lock.message)
        return super().authenticate(request, username=username, password=password, **kwargs)


def register() -> None:
    user_login_failed.connect(_on_login_failed, dispatch_uid="accounts_login_failed")
    user_logged_in.connect(_on_logged_in, dispatch_uid="accounts_logged_in")
